using System.Text.RegularExpressions;
using Conformance.Harness.Checks;
using Conformance.Harness.Targets;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>
/// The RFC 6265 §4.1.1 grammar of one Set-Cookie field value, split by aspect so a case can focus on one:
/// <code>
/// set-cookie-string = cookie-pair *( ";" SP cookie-av )
/// cookie-pair       = cookie-name "=" cookie-value
/// cookie-name       = token
/// cookie-value      = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
/// expires-av        = "Expires=" sane-cookie-date      (rfc1123-date, i.e. IMF-fixdate)
/// max-age-av        = "Max-Age=" non-zero-digit *DIGIT
/// domain-av / path-av / "Secure" / "HttpOnly" / extension-av (any CHAR except CTLs or ";")
/// </code>
/// SameSite is not in RFC 6265: it comes from RFC 6265bis (draft-ietf-httpbis-rfc6265bis), which every
/// major browser implements; its value is checked as Strict, Lax or None there.
/// </summary>
public static partial class SetCookieGrammar
{
    public const string Name = "name";
    public const string Value = "value";
    public const string Separator = "separator";
    public const string Expires = "expires";
    public const string MaxAge = "max-age";
    public const string Attributes = "attributes";

    public static readonly IReadOnlyList<string> Aspects = [Name, Value, Separator, Expires, MaxAge, Attributes];

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex Token();

    [GeneratedRegex("^[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*$")]
    private static partial Regex CookieOctets();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex NonZeroLeadingDigits();

    /// <summary>The cookie-name and cookie-value of a Set-Cookie value (before the first ';'), or null without '='.</summary>
    public static (string Name, string Value)? Pair(string setCookie)
    {
        var semi = setCookie.IndexOf(';', StringComparison.Ordinal);
        var pair = semi < 0 ? setCookie : setCookie[..semi];
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? null : (pair[..eq], pair[(eq + 1)..]);
    }

    /// <summary>Every departure from the grammar in one Set-Cookie value, as (aspect, message).</summary>
    public static IEnumerable<(string Aspect, string Message)> Problems(string setCookie)
    {
        var parts = setCookie.Split(';');
        var pair = Pair(setCookie);
        if (pair is null)
        {
            yield return (Name, "no cookie-pair: the value before the first ';' has no '='");
            yield break;
        }
        var (name, value) = pair.Value;
        if (!Token().IsMatch(name)) yield return (Name, $"cookie-name \"{ByteText.Escape(name)}\" is not a token");
        var inner = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        if (!CookieOctets().IsMatch(inner)) yield return (Value, $"cookie-value \"{ByteText.Escape(value)}\" holds a byte outside cookie-octet (CTL, SP, DQUOTE, comma, semicolon or backslash)");
        foreach (var raw in parts.Skip(1))
        {
            if (!raw.StartsWith(' ') || raw.StartsWith("  ", StringComparison.Ordinal))
                yield return (Separator, $"attributes are separated by \"; \" (one SP after the semicolon), got \";{ByteText.Escape(raw)}\"");
            var av = raw.Trim(' ');
            var eq = av.IndexOf('=', StringComparison.Ordinal);
            var attr = eq < 0 ? av : av[..eq];
            var arg = eq < 0 ? null : av[(eq + 1)..];
            if (av.Any(char.IsControl)) yield return (Attributes, $"attribute \"{ByteText.Escape(av)}\" holds a control character");
            switch (attr.ToLowerInvariant())
            {
                case "expires":
                    if (arg is null || !DateChecks.IsImfFixdate(arg)) yield return (Expires, $"Expires must be an rfc1123-date (IMF-fixdate, e.g. \"Sun, 06 Nov 1994 08:49:37 GMT\"), got \"{ByteText.Escape(arg ?? "")}\"");
                    break;
                case "max-age":
                    if (arg is null || !NonZeroLeadingDigits().IsMatch(arg)) yield return (MaxAge, $"Max-Age must be non-zero-digit *DIGIT, got \"{ByteText.Escape(arg ?? "")}\"");
                    break;
                case "domain":
                    if (string.IsNullOrEmpty(arg)) yield return (Attributes, "Domain= needs a domain-value");
                    break;
                case "path":
                    if (string.IsNullOrEmpty(arg)) yield return (Attributes, "Path= needs a path-value");
                    break;
                case "secure" or "httponly":
                    if (arg is not null) yield return (Attributes, $"{attr} takes no value, got \"{ByteText.Escape(av)}\"");
                    break;
                case "samesite":
                    if (arg is null || !(arg.Equals("Strict", StringComparison.OrdinalIgnoreCase) || arg.Equals("Lax", StringComparison.OrdinalIgnoreCase) || arg.Equals("None", StringComparison.OrdinalIgnoreCase)))
                        yield return (Attributes, $"SameSite (RFC 6265bis) takes Strict, Lax or None, got \"{ByteText.Escape(arg ?? "")}\"");
                    break;
                default:
                    // extension-av: any CHAR except CTLs or ";" - grammatical, but an empty one is a stray ";".
                    if (av.Length == 0) yield return (Attributes, "an empty attribute (a stray \";\")");
                    break;
            }
        }
    }
}

/// <summary>
/// "check: set-cookie-grammar [ASPECT]": every Set-Cookie line of the response follows RFC 6265 §4.1.1
/// (all aspects, or only name, value, separator, expires, max-age or attributes).
/// </summary>
public sealed class SetCookieGrammarHolds : NamedCheck
{
    public override string Name => "set-cookie-grammar";

    public override string Usage => "check: set-cookie-grammar [name|value|separator|expires|max-age|attributes]";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => arguments.Count switch
        {
            0 => null,
            1 when SetCookieGrammar.Aspects.Contains(arguments[0]) => null,
            1 => $"unknown aspect \"{arguments[0]}\"; known: {string.Join(", ", SetCookieGrammar.Aspects)}",
            _ => $"expects at most one aspect, got {arguments.Count} arguments",
        };

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lines = context.Response.FieldsNamed("Set-Cookie").ToList();
        if (lines.Count == 0) return CheckOutcome.Broken("at least one Set-Cookie line to judge", "no Set-Cookie field", "the cookie setter set no cookie");
        var aspect = context.Arguments.Count == 1 ? context.Arguments[0] : null;
        foreach (var line in lines)
        {
            var problem = SetCookieGrammar.Problems(line.Value).FirstOrDefault(p => aspect is null || p.Aspect == aspect);
            if (problem.Message is not null)
                return CheckOutcome.Broken($"Set-Cookie following RFC 6265 §4.1.1 ({problem.Aspect})", $"Set-Cookie: {ByteText.Escape(line.Value)}", problem.Message, line.Line.Offset);
        }
        return CheckOutcome.Held;
    }
}

/// <summary>
/// "check: set-cookie-not-folded": one cookie per Set-Cookie line (RFC 6265 §3: origin servers SHOULD NOT
/// fold several Set-Cookie fields into one; the comma is also not a cookie-octet). A comma followed by
/// "name=" is the mark of folding; the comma inside an Expires date is followed by a day number instead.
/// </summary>
public sealed partial class SetCookieNotFolded : NamedCheck
{
    [GeneratedRegex(",\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+=")]
    private static partial Regex FoldMark();

    public override string Name => "set-cookie-not-folded";

    public override string Usage => "check: set-cookie-not-folded";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        foreach (var line in context.Response.FieldsNamed("Set-Cookie"))
        {
            var m = FoldMark().Match(line.Value);
            if (m.Success)
                return CheckOutcome.Broken("one cookie per Set-Cookie field line", $"Set-Cookie: {ByteText.Escape(line.Value)}",
                    $"\"{ByteText.Escape(m.Value)}\" at column {m.Index + 1} starts another cookie inside the same line", line.Line.Offset);
        }
        return CheckOutcome.Held;
    }
}

/// <summary>"check: set-cookie-unique-names": no two Set-Cookie lines of one response set the same cookie-name (RFC 6265 §4.1.1 SHOULD NOT).</summary>
public sealed class SetCookieUniqueNames : NamedCheck
{
    public override string Name => "set-cookie-unique-names";

    public override string Usage => "check: set-cookie-unique-names";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var seen = new Dictionary<string, FieldLine>(StringComparer.Ordinal);
        foreach (var line in context.Response.FieldsNamed("Set-Cookie"))
        {
            if (SetCookieGrammar.Pair(line.Value) is not { } pair) continue;
            if (seen.TryGetValue(pair.Name, out var first))
                return CheckOutcome.Broken("at most one Set-Cookie line per cookie-name", $"two lines set \"{pair.Name}\": {ByteText.Escape(first.Value)} / {ByteText.Escape(line.Value)}", offset: line.Line.Offset);
            seen[pair.Name] = line;
        }
        return CheckOutcome.Held;
    }
}

/// <summary>
/// "check: cookie-recognised {capture.X}": the response of the profile's cookie checker shows it recognised
/// the cookie (name=value) it was sent: the profile's seenStatus, and seenBodyContains with {cookie.name}
/// and {cookie.value} filled in.
/// </summary>
public sealed class CookieRecognised : NamedCheck
{
    public override string Name => "cookie-recognised";

    public override string Usage => "check: cookie-recognised {capture.session}";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 1);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var role = CookieJudge.Role(context);
        var (holds, shown) = CookieJudge.Seen(context, role, context.Arguments[0]);
        return holds ? CheckOutcome.Held : CheckOutcome.Broken(CookieJudge.SeenDescription(role, context.Arguments[0]), shown,
            $"the cookie checker at {role.Path} did not recognise the cookie it was sent");
    }
}

/// <summary>
/// "check: cookie-not-recognised [{capture.X|tamper}]": the negative control. Without it a checker that says
/// yes to everything would pass the round trip. With no argument, no cookie was sent. In "echoes" mode a
/// sent cookie is reflected whatever its value, so a control that sends one does not apply (SKIP).
/// </summary>
public sealed class CookieNotRecognised : NamedCheck
{
    public override string Name => "cookie-not-recognised";

    public override string Usage => "check: cookie-not-recognised {capture.session|tamper}";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => arguments.Count <= 1 ? null : $"expects at most one cookie (name=value), got {arguments.Count} arguments";

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var role = CookieJudge.Role(context);
        var cookie = context.Arguments.Count == 1 ? context.Arguments[0] : null;
        if (cookie is not null && role.Mode == "echoes")
            throw new CaseSkippedException($"the cookie checker at {role.Path} is in \"echoes\" mode: it reflects any cookie it receives, so a tampered value cannot be refused");
        var status = context.Response.StatusCode;
        if (role.NotSeenStatus is { } notSeen)
        {
            return status == notSeen
                ? CheckOutcome.Held
                : CheckOutcome.Broken($"status {notSeen} (the profile's notSeenStatus)", $"status {status}", cookie is null
                    ? "the checker answered as if it saw a cookie that was never sent"
                    : "the checker accepted a cookie value it never issued");
        }
        if (role.SeenBodyContains is null && status == role.SeenStatus)
            throw new CaseSkippedException($"the profile's cookieChecker answers {role.SeenStatus} either way and gives no seenBodyContains, so \"not recognised\" cannot be told apart");
        var (seen, shown) = CookieJudge.Seen(context, role, cookie ?? (context.Case.Profile.Roles.CookieChecker?.Cookie ?? "") + "=");
        return seen ? CheckOutcome.Broken("the checker does not recognise the cookie", shown, "the checker's answer is the same as for the issued cookie") : CheckOutcome.Held;
    }
}

internal static class CookieJudge
{
    public static CookieCheckerRole Role(CheckContext context)
        => context.Case.Profile.Roles.CookieChecker ?? throw new CaseSkippedException(context.Case.RoleMissing(Fixtures.Roles.CookieChecker));

    public static string Expected(CookieCheckerRole role, string cookie)
    {
        var eq = cookie.IndexOf('=', StringComparison.Ordinal);
        var (name, value) = eq < 0 ? (cookie, "") : (cookie[..eq], cookie[(eq + 1)..]);
        return (role.SeenBodyContains ?? "").Replace("{cookie.name}", name, StringComparison.Ordinal).Replace("{cookie.value}", value, StringComparison.Ordinal);
    }

    public static (bool Seen, string Shown) Seen(CheckContext context, CookieCheckerRole role, string cookie)
    {
        var r = context.Response;
        var body = System.Text.Encoding.Latin1.GetString(r.Body);
        var text = Expected(role, cookie);
        var seen = r.StatusCode == role.SeenStatus && (role.SeenBodyContains is null || body.Contains(text, StringComparison.Ordinal));
        return (seen, $"status {r.StatusCode}, content \"{ByteText.Escape(r.Body.AsSpan(0, Math.Min(r.Body.Length, 120)))}\"");
    }

    public static string SeenDescription(CookieCheckerRole role, string cookie)
        => $"status {role.SeenStatus}" + (role.SeenBodyContains is null ? "" : $" with content containing \"{Expected(role, cookie)}\"");
}
