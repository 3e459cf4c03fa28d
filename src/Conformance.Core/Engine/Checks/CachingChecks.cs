using System.Globalization;
using Conformance.Harness.Checks;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>One cache directive as sent: its name, its argument (unquoted), and whether the argument was a quoted-string.</summary>
public sealed record CacheDirective(string Name, string? Argument, bool Quoted, long Offset);

/// <summary>
/// RFC 9111 §5.2: <c>Cache-Control = #cache-directive; cache-directive = token [ "=" ( token / quoted-string ) ]</c>.
/// Every Cache-Control field line of a response is one list (RFC 9110 §5.3), parsed with quoted-string awareness so
/// a comma inside a quoted argument does not end a directive.
/// </summary>
public static class CacheControlParser
{
    /// <summary>The directives of every Cache-Control line, in order, and each departure from the grammar.</summary>
    public static (List<CacheDirective> Directives, List<(string Problem, long Offset)> Problems) Parse(RawResponse response)
    {
        var directives = new List<CacheDirective>();
        var problems = new List<(string, long)>();
        foreach (var line in response.FieldsNamed("Cache-Control"))
        {
            var value = line.Value;
            var offset = line.Line.Offset;
            var i = 0;
            var element = 0;
            while (i <= value.Length)
            {
                SkipOws(value, ref i);
                if (i == value.Length)
                {
                    // An empty field value or a trailing comma leaves an empty element.
                    if (element > 0) problems.Add(($"an empty list element in \"Cache-Control: {ByteText.Escape(value)}\"", offset));
                    break;
                }
                if (value[i] == ',')
                {
                    problems.Add(($"an empty list element in \"Cache-Control: {ByteText.Escape(value)}\"", offset));
                    i++;
                    element++;
                    continue;
                }
                var start = i;
                while (i < value.Length && Tokens.IsTchar(value[i])) i++;
                if (i == start)
                {
                    problems.Add(($"a directive must start with a token, got \"{ByteText.Escape(value[start..])}\"", offset));
                    break;
                }
                var name = value[start..i];
                string? argument = null;
                var quoted = false;
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    if (i < value.Length && value[i] == '"')
                    {
                        var end = Tokens.QuotedStringEnd(value, i);
                        if (end < 0)
                        {
                            problems.Add(($"the quoted-string argument of \"{name}\" is not closed", offset));
                            break;
                        }
                        argument = Tokens.Unquote(value[i..end]);
                        quoted = true;
                        i = end;
                    }
                    else
                    {
                        var argStart = i;
                        while (i < value.Length && Tokens.IsTchar(value[i])) i++;
                        if (i == argStart)
                        {
                            problems.Add(($"\"{name}=\" has no argument (a token or a quoted-string)", offset));
                            break;
                        }
                        argument = value[argStart..i];
                    }
                }
                directives.Add(new CacheDirective(name, argument, quoted, offset));
                element++;
                SkipOws(value, ref i);
                if (i == value.Length) break;
                if (value[i] != ',')
                {
                    problems.Add(($"expected \",\" after the directive \"{name}\", got \"{ByteText.Escape(value[i..])}\"", offset));
                    break;
                }
                i++;
            }
        }
        return (directives, problems);
    }

    private static void SkipOws(string value, ref int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t') i++;
    }
}

/// <summary>Token and quoted-string helpers (RFC 9110 §5.6.2, §5.6.4).</summary>
internal static class Tokens
{
    public static bool IsTchar(char c) => c is > ' ' and < '\x7f' && !"\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal);

    public static bool IsToken(string s) => s.Length > 0 && s.All(IsTchar);

    /// <summary>The index just after the closing DQUOTE of the quoted-string starting at <paramref name="open"/>, or -1.</summary>
    public static int QuotedStringEnd(string value, int open)
    {
        for (var i = open + 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\') { i++; continue; }
            if (c == '"') return i + 1;
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if (c < ' ' && c != '\t' || c == '\x7f') return -1;
        }
        return -1;
    }

    public static string Unquote(string quoted)
    {
        var inner = quoted[1..^1];
        var sb = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length) i++;
            sb.Append(inner[i]);
        }
        return sb.ToString();
    }
}

/// <summary>
/// "check: cache-control-grammar [ASPECT]": every Cache-Control line of the response, by aspect (RFC 9111 §5.2):
/// <list type="bullet">
/// <item><c>syntax</c> (the default): <c>#cache-directive</c>, each a token with an optional token or quoted-string argument, no empty elements;</item>
/// <item><c>delta-seconds</c>: max-age and s-maxage carry delta-seconds (1*DIGIT) in the token form (§5.2.2.1, §5.2.2.10: a sender MUST NOT generate the quoted-string form);</item>
/// <item><c>field-names</c>: a qualified no-cache or private uses the quoted-string form (§5.2.2.4, §5.2.2.7: SHOULD NOT generate the token form);</item>
/// <item><c>no-argument</c>: the directives defined without an argument carry none ("no argument is defined (nor allowed) unless stated otherwise").</item>
/// </list>
/// Holds when the response has no Cache-Control at all: sending it is never required.
/// </summary>
public sealed class CacheControlGrammar : NamedCheck
{
    public const string Syntax = "syntax";
    public const string DeltaSeconds = "delta-seconds";
    public const string FieldNames = "field-names";
    public const string NoArgument = "no-argument";

    private static readonly string[] Aspects = [Syntax, DeltaSeconds, FieldNames, NoArgument];

    /// <summary>RFC 9111 §5.2.2 response directives (and RFC 8246 immutable) that are defined without an argument.</summary>
    private static readonly HashSet<string> Argumentless = new(StringComparer.OrdinalIgnoreCase)
    {
        "must-revalidate", "must-understand", "no-store", "no-transform", "proxy-revalidate", "public", "immutable",
    };

    public override string Name => "cache-control-grammar";

    public override string Usage => "check: cache-control-grammar delta-seconds";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => arguments.Count switch
        {
            0 => null,
            1 when Aspects.Contains(arguments[0]) => null,
            _ => $"expects at most one aspect ({string.Join(", ", Aspects)})",
        };

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var aspect = context.Arguments.Count == 0 ? Syntax : context.Arguments[0];
        var (directives, problems) = CacheControlParser.Parse(context.Response);
        switch (aspect)
        {
            case Syntax:
                return problems.Count == 0 ? CheckOutcome.Held
                    : CheckOutcome.Broken("Cache-Control = #cache-directive; cache-directive = token [ \"=\" ( token / quoted-string ) ]", problems[0].Problem, offset: problems[0].Offset);
            case DeltaSeconds:
                foreach (var d in directives.Where(d => d.Name.Equals("max-age", StringComparison.OrdinalIgnoreCase) || d.Name.Equals("s-maxage", StringComparison.OrdinalIgnoreCase)))
                {
                    if (d.Argument is null) return CheckOutcome.Broken($"{d.Name}=delta-seconds", $"{d.Name} without an argument", offset: d.Offset);
                    if (d.Quoted) return CheckOutcome.Broken($"{d.Name}={d.Argument} (the token form)", $"{d.Name}=\"{d.Argument}\" (the quoted-string form)", offset: d.Offset);
                    if (!d.Argument.All(char.IsAsciiDigit)) return CheckOutcome.Broken($"{d.Name}=1*DIGIT", $"{d.Name}={d.Argument}", offset: d.Offset);
                }
                return CheckOutcome.Held;
            case FieldNames:
                foreach (var d in directives.Where(d => d.Argument is not null && (d.Name.Equals("no-cache", StringComparison.OrdinalIgnoreCase) || d.Name.Equals("private", StringComparison.OrdinalIgnoreCase))))
                {
                    if (!d.Quoted) return CheckOutcome.Broken($"{d.Name}=\"{d.Argument}\" (the quoted-string form)", $"{d.Name}={d.Argument} (the token form)", offset: d.Offset);
                    var names = d.Argument!.Split(',', StringSplitOptions.TrimEntries);
                    if (names.Any(n => !Tokens.IsToken(n))) return CheckOutcome.Broken($"{d.Name}=\"#field-name\"", $"{d.Name}=\"{d.Argument}\"", offset: d.Offset);
                }
                return CheckOutcome.Held;
            default:
                var withArgument = directives.FirstOrDefault(d => d.Argument is not null && Argumentless.Contains(d.Name));
                return withArgument is null ? CheckOutcome.Held
                    : CheckOutcome.Broken($"{withArgument.Name} without an argument", $"{withArgument.Name}={(withArgument.Quoted ? $"\"{withArgument.Argument}\"" : withArgument.Argument)}", offset: withArgument.Offset);
        }
    }
}

/// <summary>
/// "check: cache-control-unique": no cache directive appears twice in the response (over all its Cache-Control
/// lines, names compared case-insensitively), and public and private are not both present. RFC 9111 §4.2.1 says
/// a cache facing a repeated directive either uses the first or treats the response as stale, so a repeat
/// makes the freshness depend on the cache.
/// </summary>
public sealed class CacheControlUnique : NamedCheck
{
    public override string Name => "cache-control-unique";

    public override string Usage => "check: cache-control-unique";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var (directives, _) = CacheControlParser.Parse(context.Response);
        var repeated = directives.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            return CheckOutcome.Broken($"each cache directive once", $"{repeated.Count()} \"{repeated.Key}\" directives: {string.Join(", ", repeated.Select(Show))}", offset: repeated.ElementAt(1).Offset);
        }
        var pub = directives.FirstOrDefault(d => d.Name.Equals("public", StringComparison.OrdinalIgnoreCase));
        var priv = directives.FirstOrDefault(d => d.Name.Equals("private", StringComparison.OrdinalIgnoreCase) && d.Argument is null);
        return pub is not null && priv is not null
            ? CheckOutcome.Broken("not both public and private", "Cache-Control holds both public and private", offset: priv.Offset)
            : CheckOutcome.Held;
    }

    private static string Show(CacheDirective d) => d.Argument is null ? d.Name : d.Quoted ? $"{d.Name}=\"{d.Argument}\"" : $"{d.Name}={d.Argument}";
}

/// <summary>"check: cache-control-has D1|D2": the response's Cache-Control holds at least one of the directives named.</summary>
public sealed class CacheControlHas : NamedCheck
{
    public override string Name => "cache-control-has";

    public override string Usage => "check: cache-control-has no-store|private";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => ExpectCount(arguments, 1) ?? (arguments[0].Split('|').All(Tokens.IsToken) ? null : "expects directive names separated by |");

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var wanted = context.Arguments[0].Split('|');
        var (directives, _) = CacheControlParser.Parse(context.Response);
        if (directives.Any(d => wanted.Contains(d.Name, StringComparer.OrdinalIgnoreCase))) return CheckOutcome.Held;
        var lines = context.Response.FieldsNamed("Cache-Control").Select(f => f.Value).ToList();
        return CheckOutcome.Broken($"Cache-Control with {string.Join(" or ", wanted)}", lines.Count == 0 ? "no Cache-Control field" : $"Cache-Control: {string.Join(", ", lines)}");
    }
}

/// <summary>
/// "check: expires-http-date": Expires, if present, is one field line (a singleton field, RFC 9110 §5.3) whose
/// value is an HTTP-date sent as an IMF-fixdate (RFC 9111 §5.3 <c>Expires = HTTP-date</c>; RFC 9110 §5.6.7).
/// A value such as "0" breaks the grammar even though caches must read it as "already expired".
/// </summary>
public sealed class ExpiresHttpDate : NamedCheck
{
    public override string Name => "expires-http-date";

    public override string Usage => "check: expires-http-date";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lines = context.Response.FieldsNamed("Expires").ToList();
        if (lines.Count > 1) return CheckOutcome.Broken("one Expires field line", $"{lines.Count} Expires field lines", offset: lines[1].Line.Offset);
        if (lines.Count == 0 || DateChecks.IsImfFixdate(lines[0].Value)) return CheckOutcome.Held;
        return CheckOutcome.Broken("Expires: an IMF-fixdate like \"Sun, 06 Nov 1994 08:49:37 GMT\"", $"Expires: {ByteText.Escape(lines[0].Value)}", offset: lines[0].Line.Offset);
    }
}

/// <summary>
/// "check: expires-agrees-with-max-age": when a response carries both max-age and Expires, Expires minus Date
/// equals max-age (within a second). Caches that know Cache-Control ignore Expires (RFC 9111 §5.3); older ones
/// use Expires minus Date (§4.2.1): the two kinds would keep the response for different times.
/// </summary>
public sealed class ExpiresAgreesWithMaxAge : NamedCheck
{
    public override string Name => "expires-agrees-with-max-age";

    public override string Usage => "check: expires-agrees-with-max-age";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var r = context.Response;
        var (directives, _) = CacheControlParser.Parse(r);
        var maxAge = directives.FirstOrDefault(d => d.Name.Equals("max-age", StringComparison.OrdinalIgnoreCase));
        var expires = r.Header("Expires");
        var date = r.Header("Date");
        if (maxAge?.Argument is null || expires is null || date is null
            || !long.TryParse(maxAge.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !LastModifiedNotAfterDate.TryParse(date, out var sent))
            return CheckOutcome.Held;
        if (!LastModifiedNotAfterDate.TryParse(expires, out var expiry))
            return CheckOutcome.Broken($"Expires = Date + {seconds} s", $"Expires: {expires} (not a date: caches read it as already expired, while max-age={seconds})", offset: r.Field("Expires")?.Line.Offset);
        var lifetime = (expiry - sent).TotalSeconds;
        return Math.Abs(lifetime - seconds) <= 1
            ? CheckOutcome.Held
            : CheckOutcome.Broken($"Expires = Date + {seconds} s (max-age={seconds})", $"Expires - Date = {lifetime:0} s (Date: {date}, Expires: {expires})", offset: r.Field("Expires")?.Line.Offset);
    }
}

/// <summary>"check: age-delta-seconds": Age, if present, is one field line of 1*DIGIT (RFC 9111 §5.1, §1.2.2).</summary>
public sealed class AgeDeltaSeconds : NamedCheck
{
    public override string Name => "age-delta-seconds";

    public override string Usage => "check: age-delta-seconds";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lines = context.Response.FieldsNamed("Age").ToList();
        if (lines.Count > 1) return CheckOutcome.Broken("one Age field line", $"{lines.Count} Age field lines", offset: lines[1].Line.Offset);
        if (lines.Count == 0 || (lines[0].Value.Length > 0 && lines[0].Value.All(char.IsAsciiDigit))) return CheckOutcome.Held;
        return CheckOutcome.Broken("Age: delta-seconds (1*DIGIT)", $"Age: {ByteText.Escape(lines[0].Value)}", offset: lines[0].Line.Offset);
    }
}

/// <summary>
/// "check: vary-lists FIELD": the response has a Vary whose members (RFC 9110 §12.5.5 <c>Vary = #( "*" / field-name )</c>,
/// over all its lines, compared case-insensitively) include FIELD or "*". With no argument, only the grammar
/// of every Vary line is checked, and a response without Vary holds.
/// </summary>
public sealed class VaryLists : NamedCheck
{
    public override string Name => "vary-lists";

    public override string Usage => "check: vary-lists {negotiated.field}";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => arguments.Count <= 1 ? null : "expects at most one field name";

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lines = context.Response.FieldsNamed("Vary").ToList();
        var members = new List<string>();
        foreach (var line in lines)
        {
            var parts = line.Value.Split(',').Select(p => p.Trim(' ', '\t')).ToList();
            foreach (var p in parts)
            {
                if (p.Length == 0) continue;
                if (p != "*" && !Tokens.IsToken(p))
                    return CheckOutcome.Broken("Vary = #( \"*\" / field-name )", $"Vary: {ByteText.Escape(line.Value)} (\"{ByteText.Escape(p)}\" is not a field-name)", offset: line.Line.Offset);
                members.Add(p);
            }
        }
        if (context.Arguments.Count == 0) return CheckOutcome.Held;
        var wanted = context.Arguments[0];
        if (members.Any(m => m == "*" || m.Equals(wanted, StringComparison.OrdinalIgnoreCase))) return CheckOutcome.Held;
        return CheckOutcome.Broken($"Vary listing {wanted}", lines.Count == 0 ? "no Vary field" : $"Vary: {string.Join(", ", lines.Select(l => l.Value))}");
    }
}
