using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>What a named check sees: the response, its resolved arguments, and the case's earlier responses.</summary>
public sealed record CheckContext(
    RawResponse Response,
    IReadOnlyList<string> Arguments,
    CaseContext Case,
    IReadOnlyList<RawResponse> EarlierResponses,
    string RequestMethod);

/// <summary>The result of a named check: whether it held, and expected vs actual when it did not.</summary>
public sealed record CheckOutcome(bool Holds, string Expected = "", string Actual = "", string? Detail = null)
{
    public static readonly CheckOutcome Held = new(true);

    public static CheckOutcome Broken(string expected, string actual, string? detail = null) => new(false, expected, actual, detail);
}

/// <summary>
/// A check that needs code (URI resolution, cookie grammar, comparing two responses), referenced from a
/// fixture as "check: NAME ARGS". The fixture still states the requirement and level; the check only judges.
/// </summary>
public abstract class NamedCheck
{
    public abstract string Name { get; }

    /// <summary>How to write it in a fixture, e.g. "check: location-resolves-to {redirect.location}".</summary>
    public abstract string Usage { get; }

    public abstract CheckOutcome Evaluate(CheckContext context);
}

/// <summary>The named checks a fixture may use. The lint rejects any other name.</summary>
public sealed class NamedCheckRegistry
{
    private readonly Dictionary<string, NamedCheck> checks;

    public NamedCheckRegistry(IEnumerable<NamedCheck> checks) => this.checks = checks.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Every check the harness ships.</summary>
    public static NamedCheckRegistry Default { get; } = new(BuiltInChecks.All());

    public IReadOnlySet<string> Names => checks.Keys.ToHashSet(StringComparer.Ordinal);

    public NamedCheck Get(string name) => checks[name];

    public IEnumerable<NamedCheck> All => checks.Values;
}

public static class BuiltInChecks
{
    public static IEnumerable<NamedCheck> All()
    {
        yield return new LocationResolvesTo();
        yield return new ReasonPhraseVisible();
    }
}

/// <summary>
/// RFC 9110 §10.2.2: Location is a URI-reference; a relative one is resolved against the target URI.
/// Holds when it resolves to the expected target (given as a path or an absolute URI).
/// </summary>
public sealed class LocationResolvesTo : NamedCheck
{
    public override string Name => "location-resolves-to";

    public override string Usage => "check: location-resolves-to {redirect.location}";

    public override CheckOutcome Evaluate(CheckContext context)
    {
        if (context.Arguments.Count != 1) return CheckOutcome.Broken("one argument: the expected location", $"{context.Arguments.Count} arguments");
        var location = context.Response.Header("Location");
        if (location is null) return CheckOutcome.Broken("a Location field", "no Location field");
        var baseUri = new Uri(context.Case.Target.BaseUri, "/");
        if (!Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var reference) || location.Any(c => c <= ' ' || c >= 0x7F))
            return CheckOutcome.Broken("a URI-reference (RFC 3986)", $"Location: {location}");
        var resolved = reference.IsAbsoluteUri ? reference : new Uri(baseUri, reference);
        var expected = new Uri(baseUri, context.Arguments[0]);
        return Uri.Compare(resolved, expected, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0
            ? CheckOutcome.Held
            : CheckOutcome.Broken(expected.AbsoluteUri, $"Location: {location} (resolves to {resolved.AbsoluteUri})");
    }
}

/// <summary>An informational look at the reason phrase: RFC 9112 §4 lets it be empty, but clients show it.</summary>
public sealed class ReasonPhraseVisible : NamedCheck
{
    public override string Name => "reason-phrase-present";

    public override string Usage => "check: reason-phrase-present";

    public override CheckOutcome Evaluate(CheckContext context)
        => string.IsNullOrEmpty(context.Response.ReasonPhrase)
            ? CheckOutcome.Broken("a non-empty reason phrase", "an empty reason phrase")
            : CheckOutcome.Held;
}
