using Conformance.Harness.Model;

namespace Conformance.Harness.Checks;

/// <summary>
/// One broken requirement found in a response. <see cref="Offset"/> is the byte offset of the offending
/// bytes within the response message (0 = first byte of its status line), or -1 when it concerns the
/// message as a whole.
/// </summary>
public sealed record Violation(
    string CheckId,
    RequirementLevel Level,
    RfcReference Rfc,
    string Requirement,
    string Message,
    long Offset)
{
    public Verdict Verdict => Level.VerdictWhenBroken();
}
