using System.Globalization;
using Conformance.Harness.Checks;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>What a named check sees: the response, its resolved arguments, and the case's earlier responses.</summary>
public sealed record CheckContext(
    RawResponse Response,
    IReadOnlyList<string> Arguments,
    CaseContext Case,
    IReadOnlyList<RawResponse> EarlierResponses,
    string RequestMethod,
    string RequestVersion,
    bool RequestAskedClose = false,
    bool RequestAskedKeepAlive = false);

/// <summary>The result of a named check: whether it held, and expected vs actual when it did not.</summary>
public sealed record CheckOutcome(bool Holds, string Expected = "", string Actual = "", string? Detail = null, long? Offset = null)
{
    public static readonly CheckOutcome Held = new(true);

    public static CheckOutcome Broken(string expected, string actual, string? detail = null, long? offset = null) => new(false, expected, actual, detail, offset);
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

    /// <summary>Null when the arguments (as written, before placeholders are resolved) fit; else what is wrong.</summary>
    public virtual string? ValidateArguments(IReadOnlyList<string> arguments) => null;

    public abstract CheckOutcome Evaluate(CheckContext context);

    protected static string? ExpectCount(IReadOnlyList<string> arguments, int count)
        => arguments.Count == count ? null : $"expects {count} argument(s), got {arguments.Count}";
}

/// <summary>The named checks a fixture may use. The lint rejects any other name, and bad arguments.</summary>
public sealed class NamedCheckRegistry : ICheckCatalog
{
    private readonly Dictionary<string, NamedCheck> checks;

    public NamedCheckRegistry(IEnumerable<NamedCheck> checks) => this.checks = checks.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Every check the harness ships.</summary>
    public static NamedCheckRegistry Default { get; } = new(BuiltInChecks.All());

    public IReadOnlySet<string> Names => checks.Keys.ToHashSet(StringComparer.Ordinal);

    public string? ValidateArguments(string name, IReadOnlyList<string> arguments) => checks[name].ValidateArguments(arguments);

    public NamedCheck Get(string name) => checks[name];

    public IEnumerable<NamedCheck> All => checks.Values;
}

public static class BuiltInChecks
{
    public static IEnumerable<NamedCheck> All()
    {
        yield return new GrammarRuleHolds();
        yield return new VersionIs();
        yield return new MatchesEarlier();
        yield return new CarriesEarlier();
        yield return new LocationResolvesTo();
        yield return new Checks.CloseAnnounced();
        yield return new Checks.ConnectionAsAnnounced();
        yield return new Checks.StatusIs();
        yield return new Checks.LocationUriReference();
        yield return new Checks.EtagSyntax();
        yield return new Checks.LastModifiedNotAfterDate();
        yield return new Checks.SetCookieGrammarHolds();
        yield return new Checks.SetCookieNotFolded();
        yield return new Checks.SetCookieUniqueNames();
        yield return new Checks.CookieRecognised();
        yield return new Checks.CookieNotRecognised();
        yield return new FieldOnStatus();
        foreach (var check in CoverageChecks()) yield return check;
    }

    /// <summary>Freshness and caching (RFC 9111, RFC 9110 §12.5.5) and byte ranges (RFC 9110 §14): Engine/Checks/CachingChecks.cs, RangeChecks.cs.</summary>
    private static IEnumerable<NamedCheck> CoverageChecks()
    {
        yield return new Checks.CacheControlGrammar();
        yield return new Checks.CacheControlUnique();
        yield return new Checks.CacheControlHas();
        yield return new Checks.ExpiresHttpDate();
        yield return new Checks.ExpiresAgreesWithMaxAge();
        yield return new Checks.AgeDeltaSeconds();
        yield return new Checks.VaryLists();
        yield return new Checks.ByteRangesCheck();
        yield return new Checks.ContentRangeUnsatisfied();
        yield return new Checks.ByteRangesPartTypes();
        yield return new Checks.AcceptRangesGrammar();
    }
}

/// <summary>
/// "check: grammar RULE" makes one response-grammar rule the focus of a case: its finding then carries the
/// case's requirement and fixture line. (Every rule is checked on every response anyway; a focused rule
/// is not reported twice.)
/// </summary>
public sealed class GrammarRuleHolds : NamedCheck
{
    public const string CheckName = "grammar";

    public override string Name => CheckName;

    public override string Usage => "check: grammar status-line.http-name";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => ExpectCount(arguments, 1) ?? (ResponseGrammar.CheckIds.Contains(arguments[0])
            ? null
            : $"unknown grammar rule \"{arguments[0]}\"; known: {string.Join(", ", ResponseGrammar.CheckIds)}");

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var violations = ResponseGrammar.Check(new ResponseContext(context.Response, context.RequestMethod, context.RequestVersion, DateTimeOffset.UtcNow))
            .Where(v => v.CheckId == context.Arguments[0]).ToList();
        if (violations.Count == 0) return CheckOutcome.Held;
        var first = violations[0];
        return CheckOutcome.Broken($"no violation of {first.CheckId} ({first.Rfc})", first.Message,
            $"{first.Requirement}{(violations.Count > 1 ? $" ({violations.Count} violations; the first is shown)" : "")}", first.Offset);
    }
}

/// <summary>RFC 9110 §6.2: the response's version, e.g. an HTTP/1.1 server answers "HTTP/1.1" to an HTTP/1.0 request.</summary>
public sealed class VersionIs : NamedCheck
{
    public override string Name => "version-is";

    public override string Usage => "check: version-is HTTP/1.1";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 1);

    public override CheckOutcome Evaluate(CheckContext context)
        => context.Response.HttpVersion == context.Arguments[0]
            ? CheckOutcome.Held
            : CheckOutcome.Broken(context.Arguments[0], context.Response.HttpVersion, offset: 0);
}

/// <summary>
/// "check: matches-earlier N FIELD": if this response carries FIELD, its values equal those of the case's
/// N-th response (1-based). E.g. a HEAD's Content-Length, if sent, equals the GET's (RFC 9110 §8.6). Where the
/// N-th response declared no Content-Length (its content was chunked or ended by the close), a Content-Length
/// here equals the length of that response's decoded content: §8.6 asks for "the decimal number of octets that
/// would have been sent in the content", not for the same field lines.
/// </summary>
public sealed class MatchesEarlier : NamedCheck
{
    public override string Name => "matches-earlier";

    public override string Usage => "check: matches-earlier 1 Content-Length";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => EarlierArguments.Validate(arguments);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var (earlier, field, problem) = EarlierArguments.Resolve(context);
        if (problem is not null) return problem;
        var mine = context.Response.FieldsNamed(field).Select(f => f.Value).ToList();
        if (mine.Count == 0) return CheckOutcome.Held;
        var theirs = earlier!.FieldsNamed(field).Select(f => f.Value).ToList();
        if (theirs.Count == 0 && field.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && earlier.Complete && !earlier.Truncated)
            theirs = [earlier.Body.Length.ToString(CultureInfo.InvariantCulture)];
        return mine.SequenceEqual(theirs)
            ? CheckOutcome.Held
            : CheckOutcome.Broken($"{field}: {EarlierArguments.Show(theirs)} (as in response {context.Arguments[0]})", $"{field}: {EarlierArguments.Show(mine)}");
    }
}

/// <summary>
/// "check: carries-earlier N FIELD": when the case's N-th response carried FIELD, this one carries the same
/// values. E.g. a 304 carries the ETag, Cache-Control, Expires and Vary a 200 would have (RFC 9110 §15.4.5).
/// </summary>
public sealed class CarriesEarlier : NamedCheck
{
    public override string Name => "carries-earlier";

    public override string Usage => "check: carries-earlier 1 ETag";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => EarlierArguments.Validate(arguments);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var (earlier, field, problem) = EarlierArguments.Resolve(context);
        if (problem is not null) return problem;
        var theirs = earlier!.FieldsNamed(field).Select(f => f.Value).ToList();
        if (theirs.Count == 0) return CheckOutcome.Held;
        var mine = context.Response.FieldsNamed(field).Select(f => f.Value).ToList();
        return mine.SequenceEqual(theirs) || RelativeExpiry.SameLifetime(field, earlier, context.Response)
            ? CheckOutcome.Held
            : CheckOutcome.Broken($"{field}: {EarlierArguments.Show(theirs)} (as in response {context.Arguments[0]})", mine.Count == 0 ? $"no {field} field" : $"{field}: {EarlierArguments.Show(mine)}");
    }
}

internal static class EarlierArguments
{
    public static string? Validate(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 2) return $"expects a response number and a field name, got {arguments.Count} argument(s)";
        return int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? null
            : $"the response number must be 1 or more, got \"{arguments[0]}\"";
    }

    public static (RawResponse? Earlier, string Field, CheckOutcome? Problem) Resolve(CheckContext context)
    {
        var n = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        var field = context.Arguments[1];
        return n > context.EarlierResponses.Count
            ? (null, field, CheckOutcome.Broken($"response {n} to compare with", $"only {context.EarlierResponses.Count} earlier response(s)", "the fixture refers to a response that did not arrive"))
            : (context.EarlierResponses[n - 1], field, null);
    }

    public static string Show(IReadOnlyList<string> values) => values.Count == 0 ? "(absent)" : string.Join(" / ", values);
}

/// <summary>
/// RFC 9110 §10.2.2: Location is a URI-reference; a relative one is resolved against the target URI.
/// Holds when it resolves to the expected target (given as a path or an absolute URI).
/// </summary>
public sealed class LocationResolvesTo : NamedCheck
{
    public override string Name => "location-resolves-to";

    public override string Usage => "check: location-resolves-to {redirect.location}";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 1);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var location = context.Response.Header("Location");
        if (location is null) return CheckOutcome.Broken("a Location field", "no Location field");
        var baseUri = new Uri(context.Case.Target.BaseUri, "/");
        if (location.Any(c => c <= ' ' || c >= 0x7F) || !Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var reference))
            return CheckOutcome.Broken("a URI-reference (RFC 3986)", $"Location: {location}");
        var resolved = reference.IsAbsoluteUri ? reference : new Uri(baseUri, reference);
        var expected = new Uri(baseUri, context.Arguments[0]);
        return Uri.Compare(resolved, expected, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0
            ? CheckOutcome.Held
            : CheckOutcome.Broken(expected.AbsoluteUri, $"Location: {location} (resolves to {resolved.AbsoluteUri})");
    }
}
