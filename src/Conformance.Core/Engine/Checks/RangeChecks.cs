using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>One byte range, both ends inclusive.</summary>
public readonly record struct ByteRange(long First, long Last)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

/// <summary>A Content-Range field value (RFC 9110 §14.4): a range with its complete length, or an unsatisfied range.</summary>
public sealed record ContentRangeValue(ByteRange? Range, long? CompleteLength, bool Unsatisfied);

/// <summary>One part of a multipart/byteranges body (RFC 9110 §14.6).</summary>
public sealed record BytePart(IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Data)
{
    public string? Header(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>The byte-range grammar of RFC 9110 §14.1 and §14.4, and multipart/byteranges (§14.6).</summary>
public static partial class ByteRanges
{
    // Content-Range = range-unit SP ( range-resp / unsatisfied-range ); range-resp = incl-range "/" ( complete-length / "*" )
    [GeneratedRegex("^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (?:([0-9]+)-([0-9]+)/([0-9]+|\\*)|\\*/([0-9]+))$")]
    private static partial Regex ContentRangeSyntax();

    /// <summary>Parses a Content-Range of the "bytes" unit; null when it is not one (the message says why).</summary>
    public static ContentRangeValue? ParseContentRange(string value, out string? problem)
    {
        problem = null;
        var m = ContentRangeSyntax().Match(value);
        if (!m.Success || !m.Groups[1].Value.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"\"{ByteText.Escape(value)}\" is not \"bytes first-last/length\" nor \"bytes */length\"";
            return null;
        }
        if (m.Groups[5].Success)
            return TryLong(m.Groups[5].Value, out var len) ? new ContentRangeValue(null, len, true) : Fail("a complete-length too large to read", out problem);
        if (!TryLong(m.Groups[2].Value, out var first) || !TryLong(m.Groups[3].Value, out var last)) return Fail("a position too large to read", out problem);
        long? complete = null;
        if (m.Groups[4].Value != "*")
        {
            if (!TryLong(m.Groups[4].Value, out var c)) return Fail("a complete-length too large to read", out problem);
            complete = c;
        }
        // "A Content-Range field value is invalid if it contains a range-resp that has a last-pos value less than
        // its first-pos value, or a complete-length value less than or equal to its last-pos value."
        if (last < first) return Fail($"last-pos {last} is less than first-pos {first}", out problem);
        if (complete is { } cl && cl <= last) return Fail($"complete-length {cl} is not greater than last-pos {last}", out problem);
        return new ContentRangeValue(new ByteRange(first, last), complete, false);
    }

    private static ContentRangeValue? Fail(string why, out string? problem)
    {
        problem = why;
        return null;
    }

    private static bool TryLong(string digits, out long value) => long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The satisfiable ranges a "bytes" range-set asks of a representation of <paramref name="length"/> bytes
    /// (RFC 9110 §14.1.2, §14.1.1), in request order; null when the range-set is not valid.
    /// </summary>
    public static List<ByteRange>? Satisfiable(string rangeSet, long length)
    {
        var result = new List<ByteRange>();
        foreach (var raw in rangeSet.Split(','))
        {
            var spec = raw.Trim(' ', '\t');
            var dash = spec.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0) return null;
            var firstText = spec[..dash];
            var lastText = spec[(dash + 1)..];
            if (firstText.Length == 0)
            {
                if (!IsDigits(lastText) || !TryLong(lastText, out var suffix)) return null;
                if (suffix > 0 && length > 0) result.Add(new ByteRange(Math.Max(0, length - suffix), length - 1));
                continue;
            }
            if (!IsDigits(firstText) || !TryLong(firstText, out var first)) return null;
            var last = length - 1;
            if (lastText.Length > 0)
            {
                if (!IsDigits(lastText) || !TryLong(lastText, out var given) || given < first) return null;
                last = Math.Min(given, length - 1);
            }
            if (first < length) result.Add(new ByteRange(first, last));
        }
        return result;
    }

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    /// <summary>The boundary parameter of a multipart Content-Type, unquoted; null when absent.</summary>
    public static string? Boundary(string contentType)
    {
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !parameter[..eq].Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase)) continue;
            var value = parameter[(eq + 1)..].Trim();
            return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        }
        return null;
    }

    /// <summary>Splits a multipart body into its parts (RFC 2046 §5.1.1); null with the reason when it cannot.</summary>
    public static List<BytePart>? Parts(byte[] body, string boundary, out string? problem)
    {
        problem = null;
        var delimiter = Encoding.Latin1.GetBytes("--" + boundary);
        var parts = new List<BytePart>();
        // The first delimiter starts the body or follows a CRLF (after an ignored preamble).
        var at = body.AsSpan().StartsWith(delimiter) ? 0 : IndexOf(body, [.. "\r\n"u8, .. delimiter], 0) is var p && p >= 0 ? p + 2 : -1;
        if (at < 0)
        {
            problem = $"no \"--{boundary}\" delimiter in the content";
            return null;
        }
        while (true)
        {
            var i = at + delimiter.Length;
            if (i + 1 < body.Length && body[i] == '-' && body[i + 1] == '-') return parts;
            while (i < body.Length && body[i] is (byte)' ' or (byte)'\t') i++;
            if (i + 1 >= body.Length || body[i] != '\r' || body[i + 1] != '\n')
            {
                problem = $"the delimiter of part {parts.Count + 1} is not followed by CRLF";
                return null;
            }
            i += 2;
            var headEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), i);
            // A part without header fields starts with its empty line at once.
            var headers = new List<KeyValuePair<string, string>>();
            int dataStart;
            if (i + 1 < body.Length && body[i] == '\r' && body[i + 1] == '\n') dataStart = i + 2;
            else if (headEnd < 0)
            {
                problem = $"part {parts.Count + 1} has no empty line after its header fields";
                return null;
            }
            else
            {
                foreach (var line in Encoding.Latin1.GetString(body, i, headEnd - i).Split("\r\n"))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        problem = $"part {parts.Count + 1} has a header line without a colon: \"{ByteText.Escape(line)}\"";
                        return null;
                    }
                    headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
                }
                dataStart = headEnd + 4;
            }
            var next = IndexOf(body, [.. "\r\n"u8, .. delimiter], dataStart);
            if (next < 0)
            {
                problem = $"part {parts.Count + 1} is not followed by a \"--{boundary}\" delimiter (no closing \"--{boundary}--\")";
                return null;
            }
            parts.Add(new BytePart(headers, body[dataStart..next]));
            at = next + 2;
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var index = haystack.AsSpan(from).IndexOf(needle);
        return index < 0 ? -1 : from + index;
    }
}

/// <summary>
/// "check: byte-ranges N RANGE-SET": the response is a correct answer to "Range: bytes=RANGE-SET" given the full
/// representation in the case's N-th response (a 200 to a plain GET). A 200 must carry that whole representation
/// (a server MAY ignore Range, RFC 9110 §14.2). A 206 (§15.3.7) must carry, for a single part, one Content-Range
/// and exactly those bytes; for several, multipart/byteranges content with a Content-Range in every part and none
/// in the header section; every range valid (§14.4), of the representation's complete length, its bytes equal to
/// that slice of the full representation; every satisfiable range asked for enclosed (ranges MAY be coalesced),
/// no part that was not asked for, and no multipart answer to a single range. Other statuses hold here (the
/// case's outcome judges them).
/// </summary>
public sealed class ByteRangesCheck : NamedCheck
{
    public override string Name => "byte-ranges";

    public override string Usage => "check: byte-ranges 1 0-9,20-29";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => arguments.Count == 2 ? EarlierArguments.Validate(arguments) : $"expects a response number and a range-set, got {arguments.Count} argument(s)";

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var (earlier, rangeSet, problem) = EarlierArguments.Resolve(context);
        if (problem is not null) return problem;
        // Without a complete 200 to compare with there is nothing to judge the bytes against; that step's own
        // outcome already says what went wrong.
        if (earlier!.StatusCode != 200 || !earlier.Complete) return CheckOutcome.Held;
        var full = earlier.Body;
        var r = context.Response;
        if (r.StatusCode == 200)
        {
            return !r.Complete || r.Body.AsSpan().SequenceEqual(full)
                ? CheckOutcome.Held
                : CheckOutcome.Broken($"the whole representation ({full.Length} bytes, as in response {context.Arguments[0]})", $"{r.Body.Length} bytes that differ from it");
        }
        if (r.StatusCode != 206) return CheckOutcome.Held;

        var asked = ByteRanges.Satisfiable(rangeSet, full.Length);
        var contentType = r.Header("Content-Type") ?? "";
        var multipart = contentType.Split(';')[0].Trim().Equals("multipart/byteranges", StringComparison.OrdinalIgnoreCase);
        var sent = new List<(ByteRange Range, byte[] Data, string Where)>();
        if (!multipart)
        {
            var lines = r.FieldsNamed("Content-Range").ToList();
            if (lines.Count != 1) return CheckOutcome.Broken("one Content-Range field in a single-part 206", $"{lines.Count} Content-Range field lines");
            var part = Judge(lines[0].Value, r.Body, full, "the 206", out var broken);
            if (broken is not null) return broken with { Offset = lines[0].Line.Offset };
            sent.Add((part, r.Body, "the 206"));
        }
        else
        {
            if (r.Field("Content-Range") is { } top)
                return CheckOutcome.Broken("no Content-Range in the header section of a multipart 206 (each part carries its own)", $"Content-Range: {top.Value}", offset: top.Line.Offset);
            // A one-part multipart answer is allowed only when several ranges were asked for (§15.3.7.2).
            if (rangeSet.Split(',').Count(s => s.Trim(' ', '\t').Length > 0) == 1)
                return CheckOutcome.Broken("a single-part 206 to a request for a single range", $"Content-Type: {contentType}");
            var boundary = ByteRanges.Boundary(contentType);
            if (string.IsNullOrEmpty(boundary)) return CheckOutcome.Broken("Content-Type: multipart/byteranges with its boundary parameter", $"Content-Type: {contentType}");
            if (!r.Complete) return CheckOutcome.Held;
            var parts = ByteRanges.Parts(r.Body, boundary, out var why);
            if (parts is null) return CheckOutcome.Broken("multipart/byteranges content (RFC 9110 §14.6)", why!);
            if (parts.Count == 0) return CheckOutcome.Broken("at least one part", "a multipart/byteranges body with no part");
            for (var i = 0; i < parts.Count; i++)
            {
                var where = $"part {i + 1}";
                var value = parts[i].Header("Content-Range");
                if (value is null) return CheckOutcome.Broken($"a Content-Range field in {where}", $"{where} has none");
                var range = Judge(value, parts[i].Data, full, where, out var broken);
                if (broken is not null) return broken;
                sent.Add((range, parts[i].Data, where));
            }
        }

        if (asked is null) return CheckOutcome.Held;
        foreach (var want in asked)
        {
            if (!sent.Any(s => s.Range.First <= want.First && s.Range.Last >= want.Last))
                return CheckOutcome.Broken($"the requested range {want} enclosed in a part", $"parts sent: {string.Join(", ", sent.Select(s => s.Range))}");
        }
        foreach (var (range, _, where) in sent)
        {
            if (!asked.Any(a => a.First <= range.Last + 1 && range.First <= a.Last + 1))
                return CheckOutcome.Broken($"only parts that were asked for ({string.Join(", ", asked)})", $"{where} holds {range}");
        }
        if (asked.Count == 1 && sent[0].Range != asked[0])
            return CheckOutcome.Broken($"Content-Range: bytes {asked[0]}/{full.Length}", $"bytes {sent[0].Range}/{full.Length}");
        return CheckOutcome.Held;
    }

    /// <summary>One Content-Range and the bytes it labels, against the full representation.</summary>
    private static ByteRange Judge(string contentRange, byte[] data, byte[] full, string where, out CheckOutcome? broken)
    {
        broken = null;
        var value = ByteRanges.ParseContentRange(contentRange, out var problem);
        if (value is null || value.Unsatisfied)
        {
            broken = CheckOutcome.Broken($"Content-Range: bytes first-last/complete-length in {where}", problem ?? $"Content-Range: {contentRange} (an unsatisfied-range in a 206)");
            return default;
        }
        var range = value.Range!.Value;
        if (value.CompleteLength is { } length && length != full.Length)
        {
            broken = CheckOutcome.Broken($"complete-length {full.Length} (the representation's length) in {where}", $"Content-Range: {contentRange}");
            return range;
        }
        if (range.Last >= full.Length)
        {
            broken = CheckOutcome.Broken($"a range within the {full.Length}-byte representation in {where}", $"Content-Range: {contentRange}");
            return range;
        }
        var expected = full.AsSpan((int)range.First, (int)(range.Last - range.First + 1));
        if (data.Length != expected.Length)
        {
            broken = CheckOutcome.Broken($"{expected.Length} bytes in {where} (Content-Range: {contentRange})", $"{data.Length} bytes");
            return range;
        }
        if (!expected.SequenceEqual(data))
        {
            var at = 0;
            while (at < data.Length && data[at] == expected[at]) at++;
            broken = CheckOutcome.Broken($"bytes {range} of the representation in {where}", $"different bytes from offset {range.First + at}: \"{ByteText.Escape(data.AsSpan(at, Math.Min(16, data.Length - at)))}\"");
        }
        return range;
    }
}

/// <summary>
/// "check: content-range-unsatisfied N": a 416 says the representation's current length, as in the case's N-th
/// response, in "Content-Range: bytes */length" (RFC 9110 §15.5.17, §14.4). Other statuses hold.
/// </summary>
public sealed class ContentRangeUnsatisfied : NamedCheck
{
    public override string Name => "content-range-unsatisfied";

    public override string Usage => "check: content-range-unsatisfied 1";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1) return $"expects a response number, got {arguments.Count} argument(s)";
        return EarlierArguments.Validate([arguments[0], "x"]);
    }

    public override CheckOutcome Evaluate(CheckContext context)
    {
        if (context.Response.StatusCode != 416) return CheckOutcome.Held;
        var (earlier, _, problem) = EarlierArguments.Resolve(context with { Arguments = [context.Arguments[0], "Content-Range"] });
        if (problem is not null) return problem;
        var expected = earlier!.StatusCode == 200 && earlier.Complete ? $"bytes */{earlier.Body.Length}" : null;
        var lines = context.Response.FieldsNamed("Content-Range").ToList();
        if (lines.Count == 0) return CheckOutcome.Broken($"Content-Range: {expected ?? "bytes */length"}", "no Content-Range field");
        var value = ByteRanges.ParseContentRange(lines[0].Value, out var why);
        if (value is null || !value.Unsatisfied)
            return CheckOutcome.Broken($"Content-Range: {expected ?? "bytes */length"} (an unsatisfied-range)", $"Content-Range: {lines[0].Value}{(why is null ? "" : $" ({why})")}", offset: lines[0].Line.Offset);
        return expected is null || lines[0].Value.Equals(expected, StringComparison.OrdinalIgnoreCase)
            ? CheckOutcome.Held
            : CheckOutcome.Broken($"Content-Range: {expected} (the current length)", $"Content-Range: {lines[0].Value}", offset: lines[0].Line.Offset);
    }
}

/// <summary>
/// "check: byteranges-part-types N": each part of a multipart/byteranges 206 carries the Content-Type that the
/// case's N-th response (the 200) carried (RFC 9110 §15.3.7.2 SHOULD). Holds for any other response.
/// </summary>
public sealed class ByteRangesPartTypes : NamedCheck
{
    public override string Name => "byteranges-part-types";

    public override string Usage => "check: byteranges-part-types 1";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1) return $"expects a response number, got {arguments.Count} argument(s)";
        return EarlierArguments.Validate([arguments[0], "x"]);
    }

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var r = context.Response;
        var contentType = r.Header("Content-Type") ?? "";
        if (r.StatusCode != 206 || !contentType.StartsWith("multipart/byteranges", StringComparison.OrdinalIgnoreCase) || !r.Complete) return CheckOutcome.Held;
        var (earlier, _, problem) = EarlierArguments.Resolve(context with { Arguments = [context.Arguments[0], "Content-Type"] });
        if (problem is not null) return problem;
        var wanted = earlier!.Header("Content-Type");
        if (wanted is null || ByteRanges.Boundary(contentType) is not { Length: > 0 } boundary) return CheckOutcome.Held;
        var parts = ByteRanges.Parts(r.Body, boundary, out _);
        if (parts is null) return CheckOutcome.Held;
        for (var i = 0; i < parts.Count; i++)
        {
            var type = parts[i].Header("Content-Type");
            if (!string.Equals(type, wanted, StringComparison.OrdinalIgnoreCase))
                return CheckOutcome.Broken($"Content-Type: {wanted} in part {i + 1} (as in the 200)", type is null ? $"part {i + 1} has no Content-Type" : $"Content-Type: {type}");
        }
        return CheckOutcome.Held;
    }
}

/// <summary>"check: accept-ranges-grammar": Accept-Ranges, if present, is <c>1#range-unit</c> (RFC 9110 §14.3), each a token.</summary>
public sealed class AcceptRangesGrammar : NamedCheck
{
    public override string Name => "accept-ranges-grammar";

    public override string Usage => "check: accept-ranges-grammar";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        foreach (var line in context.Response.FieldsNamed("Accept-Ranges"))
        {
            var members = line.Value.Split(',').Select(m => m.Trim(' ', '\t')).ToList();
            if (members.Any(m => m.Length == 0) || members.Any(m => !Tokens.IsToken(m)))
                return CheckOutcome.Broken("Accept-Ranges = 1#range-unit (tokens, no empty element)", $"Accept-Ranges: {ByteText.Escape(line.Value)}", offset: line.Line.Offset);
        }
        return CheckOutcome.Held;
    }
}
