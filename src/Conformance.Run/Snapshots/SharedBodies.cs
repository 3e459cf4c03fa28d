using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Response bodies that recur across one server's transcripts (nginx's 400 page in a hundred cases), written once
/// in the server's <c>_bodies.verified.txt</c> and named in each transcript by a digest of their scrubbed lines:
/// <c>&lt; [body 0a1b2c3d4e5f6a7b: 7 lines: &lt;head&gt;&lt;title&gt;400 Bad Request...]</c>. A body is replaced only when it is exactly a catalogued one, so a
/// body that changes by one byte no longer has that digest and is written in full: a change in the bytes received
/// still changes the transcript, and the diff shows the new bytes against the reference. The catalog is chosen
/// when a whole run is accepted (bodies of at least <see cref="MinLines"/> lines in at least <see cref="MinCases"/>
/// cases), so what a reviewer reads in <c>git diff</c> is a recurring page once, not once per case.
/// </summary>
public sealed class SharedBodies
{
    /// <summary>The catalog's name: "_" keeps it apart from case ids, like the verdict ledgers.</summary>
    public const string Name = "_bodies";

    /// <summary>A body shorter than this saves nothing by reference.</summary>
    public const int MinLines = 2;

    /// <summary>A body in fewer cases than this stays in its transcripts: it is read where it is.</summary>
    public const int MinCases = 3;

    /// <summary>The catalog file stays within the 200 lines every baseline file keeps to.</summary>
    public const int MaxFileLines = 200;

    private const string Header = "# Response bodies that recur in this server's transcripts, each written once. A transcript names one as\n"
        + "# \"< [body <digest>: <n> lines: <a glimpse>]\"; a body that differs by one byte has another digest and is written in full.\n";

    private const string EntryPrefix = "body ";

    private readonly Dictionary<string, IReadOnlyList<string>> bodies;

    private SharedBodies(Dictionary<string, IReadOnlyList<string>> bodies) => this.bodies = bodies;

    public static SharedBodies Empty { get; } = new([]);

    public int Count => bodies.Count;

    /// <summary>The digest that names a body: SHA-256 of its transcript lines, 16 hex digits.</summary>
    public static string Digest(IEnumerable<string> lines)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))))[..16];

    /// <summary>
    /// The line that stands for a body: its digest (what the gate compares), its length, and a glimpse of it for the
    /// reader (its title, or its first line of some length), so a diff says which page without opening the catalog.
    /// </summary>
    public static string Reference(string digest, IReadOnlyList<string> body)
    {
        var text = body.Select(l => l[2..]).ToList();
        var glimpse = text.FirstOrDefault(l => l.Contains("<title>", StringComparison.OrdinalIgnoreCase))
            ?? text.FirstOrDefault(l => l.Length >= GlimpseMinLength) ?? text[0];
        if (glimpse.Length > GlimpseMaxLength) glimpse = glimpse[..GlimpseMaxLength] + "…";
        return $"< [body {digest}: {body.Count.ToString(CultureInfo.InvariantCulture)} lines: {glimpse}]";
    }

    private const int GlimpseMinLength = 12;
    private const int GlimpseMaxLength = 60;

    /// <summary>The transcript with every catalogued body replaced by its reference line; every other line as it was.</summary>
    public string Apply(string transcript)
    {
        if (bodies.Count == 0) return transcript;
        var lines = transcript.Split('\n');
        var result = new List<string>(lines.Length);
        var at = 0;
        foreach (var (start, count) in Find(lines))
        {
            result.AddRange(lines[at..start]);
            var body = lines[start..(start + count)];
            var digest = Digest(body);
            if (bodies.TryGetValue(digest, out var known) && known.SequenceEqual(body, StringComparer.Ordinal)) result.Add(Reference(digest, body));
            else result.AddRange(body);
            at = start + count;
        }
        result.AddRange(lines[at..]);
        return string.Join("\n", result);
    }

    /// <summary>
    /// The catalog for a run's transcripts (full text, case id by case id): every body of at least
    /// <see cref="MinLines"/> lines found in at least <see cref="MinCases"/> cases, those that save the most lines
    /// first, as many as fit in <see cref="MaxFileLines"/>.
    /// </summary>
    public static SharedBodies Build(IEnumerable<string> transcripts)
    {
        var seen = new Dictionary<string, (IReadOnlyList<string> Lines, int Cases)>(StringComparer.Ordinal);
        foreach (var transcript in transcripts)
        {
            var lines = transcript.Split('\n');
            foreach (var digest in Find(lines).Where(b => b.Count >= MinLines).Select(b => (Body: lines[b.Start..(b.Start + b.Count)], b.Count))
                         .Select(b => (Digest(b.Body), b.Body)).DistinctBy(b => b.Item1))
                seen[digest.Item1] = seen.TryGetValue(digest.Item1, out var s) ? (s.Lines, s.Cases + 1) : (digest.Body, 1);
        }
        var chosen = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var used = Header.Count(c => c == '\n');
        foreach (var (digest, (body, cases)) in seen.Where(kv => kv.Value.Cases >= MinCases)
                     .OrderByDescending(kv => kv.Value.Cases * (kv.Value.Lines.Count - 1) - kv.Value.Lines.Count - 1).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (cases * (body.Count - 1) <= body.Count + 1 || used + body.Count + 1 > MaxFileLines) continue;
            chosen[digest] = body;
            used += body.Count + 1;
        }
        return new SharedBodies(chosen);
    }

    /// <summary>The catalog file's text, entries sorted by digest; empty when there is nothing to share.</summary>
    public string Render()
    {
        if (bodies.Count == 0) return "";
        var sb = new StringBuilder(Header);
        foreach (var (digest, body) in bodies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(EntryPrefix).Append(digest).Append(": ").Append(body.Count.ToString(CultureInfo.InvariantCulture)).Append(" lines\n");
            foreach (var line in body) sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Reads a catalog file; an entry whose lines do not match its digest is a clear error naming the file and line.</summary>
    public static SharedBodies Read(string path)
    {
        if (!File.Exists(path)) return Empty;
        var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var bodies = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        string? digest = null;
        var entryLine = 0;
        List<string> body = [];
        void Close()
        {
            if (digest is null) return;
            if (Digest(body) != digest)
                throw new InvalidDataException($"{path}:{entryLine}: the body's lines do not have the digest {digest} (edited by hand? accept a whole run to rewrite the catalog)");
            bodies[digest] = body;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#') || (line.Length == 0 && i == lines.Length - 1)) continue;
            if (line.StartsWith(EntryPrefix, StringComparison.Ordinal))
            {
                Close();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) throw new InvalidDataException($"{path}:{i + 1}: an entry starts \"body <digest>: <n> lines\", found \"{line}\"");
                digest = line[EntryPrefix.Length..colon];
                entryLine = i + 1;
                body = [];
            }
            else if (digest is not null && line.StartsWith("< ", StringComparison.Ordinal)) body.Add(line);
            else throw new InvalidDataException($"{path}:{i + 1}: expected a \"body <digest>: <n> lines\" entry or one of its \"< \" lines, found \"{line}\"");
        }
        Close();
        return new SharedBodies(bodies);
    }

    /// <summary>
    /// Where the bodies of received messages stand in a transcript: after a head that began with a status line and
    /// ended with its empty line, the "&lt; " lines up to the next status line, the next one-line summary
    /// ("&lt; [...]") or the next line that is not received.
    /// </summary>
    public static IEnumerable<(int Start, int Count)> Find(IReadOnlyList<string> lines)
    {
        var inHead = false;
        var bodyStart = -1;
        for (var i = 0; i <= lines.Count; i++)
        {
            var line = i < lines.Count ? lines[i] : null;
            var status = line is not null && line.StartsWith("< HTTP/", StringComparison.Ordinal);
            if (bodyStart >= 0)
            {
                if (line is not null && line.StartsWith("< ", StringComparison.Ordinal) && !line.StartsWith("< [", StringComparison.Ordinal) && !status) continue;
                if (i > bodyStart) yield return (bodyStart, i - bodyStart);
                bodyStart = -1;
            }
            if (status) inHead = true;
            else if (inHead && line is "< \\r\\n" or "< \\n")
            {
                inHead = false;
                bodyStart = i + 1;
            }
            else if (line is null || !line.StartsWith("< ", StringComparison.Ordinal)) inHead = false;
        }
    }
}
