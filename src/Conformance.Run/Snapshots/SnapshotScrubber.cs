using System.Text.RegularExpressions;

namespace Conformance.Harness.Snapshots;

/// <summary>What varies between two runs against the same server, so it can be scrubbed.</summary>
public sealed record ScrubContext
{
    /// <summary>The target's host:port as requests carry it (the port is new on every reference-server run).</summary>
    public string? HostPort { get; init; }

    /// <summary>The profile's randomPrefix for missing paths: everything after it is seeded randomness.</summary>
    public IReadOnlyList<string> RandomPrefixes { get; init; } = [];

    /// <summary>
    /// Exact random values known to the caller (the case's seeded draws), scrubbed wherever they appear. Values
    /// shorter than <see cref="SnapshotScrubber.MinSeededValueLength"/> are ignored: they could match protocol text.
    /// </summary>
    public IReadOnlyList<string> KnownRandomValues { get; init; } = [];
}

/// <summary>
/// Scrubs one transcript message at a time (escaped lines, as <see cref="Reports.EscapedText.SplitLines"/>
/// gives them). Conservative: a value is replaced by a {placeholder}, the field name and the line's
/// visible \r\n stay, so a change in framing or field names is still caught.
/// </summary>
public sealed partial class SnapshotScrubber(ScrubContext context)
{
    public const string Date = "{date}";
    public const string ETag = "{etag}";
    public const string CookieValue = "{cookie-value}";
    public const string Version = "{version}";
    public const string Random = "{random}";
    public const string Host = "{host}";
    public const string Length = "{length}";
    public const string ChunkSize = "{chunk-size}";
    public const string Boundary = "{boundary}";

    /// <summary>
    /// The shortest seeded value that is scrubbed by its text. A one-character cookie value "0" once turned
    /// "127.0.0.1" into "127.{random}.{random}.1" and "200" into "2{random}{random}", so the baseline depended on
    /// the seed and on the port; every seeded draw is at least this long, and a random 8-character string does
    /// not occur in protocol text.
    /// </summary>
    public const int MinSeededValueLength = 8;

    // Header fields whose whole value is an HTTP-date (RFC 9110 §5.6.7) that changes run to run.
    private static readonly HashSet<string> DateFields = new(StringComparer.OrdinalIgnoreCase) { "Date", "Expires", "Last-Modified", "If-Modified-Since", "If-Unmodified-Since" };
    private static readonly HashSet<string> ETagFields = new(StringComparer.OrdinalIgnoreCase) { "ETag", "If-Match", "If-None-Match", "If-Range" };

    public ScrubContext Context { get; } = context;

    /// <summary>Scrubs a stream of escaped lines that may hold several messages (a pipelined exchange).</summary>
    public IReadOnlyList<string> Scrub(IReadOnlyList<string> lines) => [.. ScrubMessages(lines).SelectMany(m => m)];

    /// <summary>As <see cref="Scrub"/>, one list of lines per message, so repeated answers can be recognised.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ScrubMessages(IReadOnlyList<string> lines)
    {
        var output = new List<IReadOnlyList<string>>();
        var message = new List<string>();
        var inBody = false;
        foreach (var whole in lines)
        {
            var line = whole;
            // A body without a final newline runs straight into the next message ("helloHTTP/1.1 200 OK\r\n"):
            // split the line there, so the next message's head is scrubbed as a head.
            if (inBody && !StartLine().IsMatch(line) && MidLineStart().Match(line) is { Success: true, Index: > 0 } start)
            {
                message.Add(line[..start.Index]);
                line = line[start.Index..];
            }
            if (inBody && StartLine().IsMatch(line))
            {
                output.Add(ScrubMessage(message));
                message.Clear();
                inBody = false;
            }
            message.Add(line);
            if (!inBody && IsEmptyLine(line)) inBody = true;
        }
        if (message.Count > 0) output.Add(ScrubMessage(message));
        return output;
    }

    /// <summary>Scrubs one message: start line, field lines, empty line, body (escaped lines).</summary>
    public IReadOnlyList<string> ScrubMessage(IReadOnlyList<string> lines)
    {
        var unscrubbed = lines;
        lines = ScrubBoundary(lines);
        var result = new List<string>(lines.Count);
        var inBody = false;
        // A boundary's length is the server's choice too (Apache's is a random number in hex, shorter when it starts
        // with zeros): a length over a body that held one varies with it.
        var bodyChanged = !ReferenceEquals(lines, unscrubbed);
        var chunked = false;
        var lengthLine = -1;
        var bodyStart = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var scrubbed = ScrubValues(line);
            if (!inBody)
            {
                var field = FieldLine().Match(scrubbed);
                if (i > 0 && field.Success)
                {
                    var name = field.Groups["name"].Value;
                    scrubbed = field.Groups["name"].Value + ":" + field.Groups["ows"].Value + ScrubField(name, field.Groups["value"].Value) + field.Groups["end"].Value;
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) lengthLine = i;
                    if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && field.Groups["value"].Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
                }
                if (IsEmptyLine(line))
                {
                    inBody = true;
                    bodyStart = i + 1;
                }
            }
            else if (!string.Equals(scrubbed, line, StringComparison.Ordinal))
            {
                bodyChanged = true;
            }
            result.Add(scrubbed);
        }
        // A length measured over a scrubbed value (a random path echoed in a 404 page, the port in a
        // Location URL) varies with it; a length over fixed content is kept, it is part of the answer.
        if (bodyChanged)
        {
            if (lengthLine >= 0) result[lengthLine] = FieldLine().Replace(result[lengthLine], m => m.Groups["name"].Value + ":" + m.Groups["ows"].Value + Length + m.Groups["end"].Value);
            if (chunked)
                for (var i = bodyStart; i < result.Count; i++)
                    result[i] = ChunkSizeLine().Replace(result[i], m => ChunkSize + m.Groups["rest"].Value);
        }
        return result;
    }

    /// <summary>Values that may appear anywhere: the target's host:port, random paths and tokens.</summary>
    public string ScrubValues(string text)
    {
        foreach (var known in Context.KnownRandomValues.Where(v => v.Length >= MinSeededValueLength).OrderByDescending(v => v.Length))
            text = text.Replace(known, Random, StringComparison.Ordinal);
        // The authority only where it stands whole: with port 2000, "127.0.0.1:20001" or a body's "2000" stay as they are.
        if (Context.HostPort is { Length: > 0 } host)
            text = Regex.Replace(text, @"(?<![0-9.])" + Regex.Escape(host) + @"(?![0-9])", Host, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        foreach (var prefix in Context.RandomPrefixes.Where(p => p.Length > 1))
        {
            var p = prefix.EndsWith('/') ? prefix : prefix + "/";
            text = Regex.Replace(text, Regex.Escape(p) + @"[^\s?#""'<>\\]+", p + Random, RegexOptions.CultureInvariant);
        }
        return RandomToken().Replace(text, Random);
    }

    /// <summary>Scrubs the value of one field by its name; other fields pass unchanged.</summary>
    public static string ScrubField(string name, string value)
    {
        if (DateFields.Contains(name)) return value.Length == 0 ? value : Date;
        if (ETagFields.Contains(name))
            return value.Trim() == "*" ? value : EntityTag().IsMatch(value) ? EntityTag().Replace(value, m => m.Groups["weak"].Value + "\"" + ETag + "\"") : ETag;
        if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
        {
            var v = SetCookiePair().Replace(value, m => m.Groups["name"].Value + "=" + CookieValue, 1);
            return CookieExpires().Replace(v, m => m.Groups["attr"].Value + Date);
        }
        if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            return CookiePair().Replace(value, m => m.Groups["lead"].Value + m.Groups["name"].Value + "=" + CookieValue);
        if (name.Equals("Server", StringComparison.OrdinalIgnoreCase))
            return ProductVersion().Replace(value, "/" + Version);
        // Allow is a set of methods (RFC 9110 §10.2.1): its order means nothing, and Apache httpd lists it in
        // hash order, which changes from process to process. Sorted, the snapshot keeps the set and stays stable.
        if (name.Equals("Allow", StringComparison.OrdinalIgnoreCase) && value.Contains(','))
        {
            var separator = value.Contains(", ", StringComparison.Ordinal) ? ", " : ",";
            return string.Join(separator, value.Split(',').Select(m => m.Trim()).Order(StringComparer.Ordinal));
        }
        return value;
    }

    /// <summary>
    /// A multipart boundary (RFC 2046 §5.1.1; multipart/byteranges, RFC 9110 §14.6) is the server's own choice and
    /// may be a counter (nginx numbers them per worker), so it is replaced in the Content-Type and every delimiter.
    /// Its length may vary from run to run, so the message's Content-Length (or chunk sizes) becomes {length}.
    /// Returns the same list when there is no boundary to replace.
    /// </summary>
    private static IReadOnlyList<string> ScrubBoundary(IReadOnlyList<string> lines)
    {
        string? boundary = null;
        foreach (var line in lines)
        {
            if (IsEmptyLine(line)) break;
            if (line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase) && MultipartBoundary().Match(line) is { Success: true } m)
                boundary = m.Groups["b"].Value;
        }
        if (boundary is not { Length: >= 4 }) return lines;
        var replaced = lines.Select(l => l.Replace(boundary, Boundary, StringComparison.Ordinal)).ToList();
        return replaced.SequenceEqual(lines, StringComparer.Ordinal) ? lines : replaced;
    }

    [GeneratedRegex(@"boundary=""?(?<b>[^"";\\\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MultipartBoundary();

    private static bool IsEmptyLine(string line) => line is @"\r\n" or @"\n";

    // Escaped text: a line ends in the visible \r\n (or \n) of its terminator, if it has one.
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9!#$%&'*+.^_`|~-]+):(?<ows>(?: |\\t)*)(?<value>.*?)(?<end>(?:\\r)?\\n)?$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^(?:HTTP/\d\.\d |[A-Z]+ \S+ HTTP/\d)")]
    private static partial Regex StartLine();

    [GeneratedRegex(@"(?:HTTP/\d\.\d \d{3}[ \\]|[A-Z]{3,} \S+ HTTP/\d\.\d\\r\\n)")]
    private static partial Regex MidLineStart();

    [GeneratedRegex(@"^[0-9A-Fa-f]+(?<rest>(?:;[^\\]*)?\\r\\n)$")]
    private static partial Regex ChunkSizeLine();

    [GeneratedRegex(@"(?<weak>W/)?""[^""]*""")]
    private static partial Regex EntityTag();

    [GeneratedRegex(@"^(?<name>[^=;]*)=[^;]*")]
    private static partial Regex SetCookiePair();

    [GeneratedRegex(@"(?<attr>;\s*[Ee][Xx][Pp][Ii][Rr][Ee][Ss]=)[^;]*")]
    private static partial Regex CookieExpires();

    [GeneratedRegex(@"(?<lead>^|;\s*)(?<name>[^=;\s]+)=[^;]*")]
    private static partial Regex CookiePair();

    // product/version (RFC 9110 §10.2.4): the version moves with every patch release of the server.
    [GeneratedRegex(@"/[0-9][A-Za-z0-9.+_-]*")]
    private static partial Regex ProductVersion();

    // {random.token}: 16 seeded letters and digits (Bogus AlphaNumeric), standing alone.
    [GeneratedRegex(@"(?<![A-Za-z0-9])[a-z0-9]{16}(?![A-Za-z0-9])")]
    private static partial Regex RandomToken();
}
