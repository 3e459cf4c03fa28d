using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>What a grammar check needs to know about the exchange a response belongs to.</summary>
public sealed record ResponseContext(
    RawResponse Response,
    string RequestMethod,
    string RequestVersion,
    DateTimeOffset ReceivedAt)
{
    public bool RequestWasHead => string.Equals(RequestMethod, "HEAD", StringComparison.Ordinal);
}
