using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// What is approved for one case, in two parts a reviewer reads apart: <see cref="Ledger"/>, the verdict and the
/// findings by rule id (one line of the server's verdict ledger for the case's <see cref="Area"/>), and <see cref="Transcript"/>, the scrubbed
/// bytes received with the sends reduced to what the fixture does not fix; null when nothing was sent or
/// received (a case skipped before it wrote a byte).
/// </summary>
public sealed record CaseSnapshot(string CaseId, string Area, string Verdict, string Ledger, string? Transcript)
{
    /// <summary>The verdict and findings as one ledger line (without the id): "FAIL  FAIL outcome, WARN grammar.date".</summary>
    public static string LedgerLine(string verdict, IEnumerable<string> findings)
    {
        var rules = findings.Distinct(StringComparer.Ordinal).ToList();
        return rules.Count == 0 ? verdict : $"{verdict,-5}  {string.Join(", ", rules)}";
    }

    /// <summary>The verdict a ledger line starts with.</summary>
    public static string VerdictOf(string ledger) => ledger.Split(' ', 2)[0];
}

/// <summary>
/// Renders a case's snapshot from its report. Timings are left out (they never repeat); CR and LF are visible
/// as \r and \n at the end of each line. A send that is exactly what its fixture step spells becomes one line
/// naming the step and the values of its placeholders; a repeated answer becomes one line naming the earlier
/// one; a long answer keeps its first lines and a digest of the rest; the liveness probe is one line.
/// Any change in the bytes received still changes the text (the digests are over the scrubbed bytes).
/// </summary>
public static partial class SnapshotRenderer
{
    /// <summary>No transcript file grows past this many lines: the rest of it is kept as a digest line.</summary>
    public const int MaxTranscriptLines = 200;

    /// <summary>A message longer than this keeps <see cref="KeptMessageLines"/> lines and a digest of the rest.</summary>
    public const int MaxMessageLines = 40;

    public const int KeptMessageLines = 30;

    /// <summary>A repeated answer shorter than this is shown again: a one-line reference would save nothing.</summary>
    private const int MinRepeatLines = 4;

    public static CaseSnapshot Render(CaseReport c, ConformanceCase? fixture, SnapshotScrubber scrubber)
    {
        var sends = MatchSends(c, fixture);
        // The case's own seeded draws, and the seeded values its sends carried where the fixture placed them,
        // are scrubbed where the response reflects them (an echo, a 404 page naming the random path).
        var seeded = (c.RandomValues ?? []).Select(ByteText.Escape)
            .Concat(sends.Values.SelectMany(m => m.Values).Where(v => IsSeeded(v.Name)).Select(v => v.Value))
            .Where(v => v.Length >= SnapshotScrubber.MinSeededValueLength).Distinct(StringComparer.Ordinal).ToList();
        if (seeded.Count > 0)
            scrubber = new SnapshotScrubber(scrubber.Context with { KnownRandomValues = [.. scrubber.Context.KnownRandomValues, .. seeded] });

        var ledger = CaseSnapshot.LedgerLine(c.Verdict, c.Findings.Select(f => $"{f.Verdict} {scrubber.ScrubValues(f.Rule)}"));
        if (!c.Connections.Any(conn => conn.Entries.Any(e => e.Direction is "sent" or "received")))
            return new CaseSnapshot(c.Id, c.Area, c.Verdict, ledger, null);

        // The file is named by the case and the case's own connection comes first: neither needs a header line.
        var lines = new List<string>();
        var responses = new List<string>();
        foreach (var conn in c.Connections)
        {
            if (conn.Purpose == Engine.LivenessProbe.Rule)
            {
                // Whether the probe runs is fixed by the fixture (liveness: yes) and the verdict (not after an ERROR or
                // SKIP); so only an answer other than the plain 200 is news, and only that is written.
                var outcome = LivenessOutcome(conn, scrubber);
                if (outcome != HealthyLiveness) lines.Add($"connection: liveness -> {outcome}");
                continue;
            }
            if (!(ReferenceEquals(conn, c.Connections[0]) && conn.Purpose == "case")) lines.Add($"connection: {conn.Purpose}");
            var i = 0;
            while (i < conn.Entries.Count)
            {
                var entry = conn.Entries[i];
                if (entry.Direction is not ("sent" or "received"))
                {
                    i++;
                    // Which address the socket reached is the harness's bookkeeping, not the server's answer.
                    if (entry.Text.Length == 0 && entry.Note is { } n && n.StartsWith("connected to ", StringComparison.Ordinal)) continue;
                    // How far a huge send got before the server stopped reading is a race of the two sides' buffers,
                    // not an answer: the response (a 4xx, a close) is what the snapshot keeps.
                    if (entry.Text.Length == 0 && entry.Note is { } failed && failed.StartsWith("send failed after ", StringComparison.Ordinal)) continue;
                    var line = "* " + scrubber.ScrubValues(entry.Text);
                    if (entry.Note is { } note) line += " (" + StableNote(scrubber.ScrubValues(note)) + ")";
                    lines.Add(line);
                    continue;
                }
                if (entry.Direction == "sent" && sends.TryGetValue(entry, out var matched))
                {
                    i++;
                    // The fixture fixes what each step sends; when a later step's bytes went out relative to an early
                    // answer (a 100, or a 4xx sent before the content was read) is a race. So every fixture send of the
                    // connection is listed once, in step order, where the first went out (before any answer), and a
                    // send cut short by the server is left out for the same reason as its "send failed" note.
                    if (!ReferenceEquals(entry, sends.Keys.First()) || matched.Partial) continue;
                    if (sends.Values.Where(m => !m.Partial).ToList() is { Count: > 0 } whole) lines.Add(SendMatch.Describe(whole, scrubber));
                    continue;
                }
                // Consecutive chunks of one direction are joined: how TCP split the bytes is not the server's answer.
                var text = new StringBuilder();
                var truncated = false;
                var direction = entry.Direction;
                for (; i < conn.Entries.Count && conn.Entries[i].Direction == direction && !(direction == "sent" && sends.ContainsKey(conn.Entries[i])); i++)
                {
                    text.Append(conn.Entries[i].Text);
                    truncated |= conn.Entries[i].Truncated;
                }
                var marker = direction == "sent" ? "> " : "< ";
                foreach (var message in scrubber.ScrubMessages(EscapedText.SplitLines(text.ToString())))
                {
                    if (direction == "received") AddResponse(lines, message, responses);
                    else lines.AddRange(message.Select(l => marker + l));
                }
                if (truncated) lines.Add(marker + "[truncated: the transcript cap of " + ReportBuilder.MaxTranscriptChunkBytes.ToString(CultureInfo.InvariantCulture) + " bytes per chunk was reached]");
            }
        }
        if (lines.Count > MaxTranscriptLines)
        {
            var rest = lines.Skip(MaxTranscriptLines - 1).ToList();
            lines = [.. lines.Take(MaxTranscriptLines - 1), $"[+{rest.Count} more lines, sha256 {Digest(rest)}]"];
        }
        return new CaseSnapshot(c.Id, c.Area, c.Verdict, ledger, string.Concat(lines.Select(l => l + "\n")));
    }

    /// <summary>
    /// One received message: in full the first time; a repeat of an earlier one (a keep-alive exchange answered
    /// the same way five times) as a reference to it; a long one as its first lines and a digest of the rest.
    /// </summary>
    private static void AddResponse(List<string> lines, IReadOnlyList<string> message, List<string> responses)
    {
        var whole = string.Join("\n", message);
        var earlier = responses.IndexOf(whole);
        responses.Add(whole);
        if (earlier >= 0 && message.Count >= MinRepeatLines)
        {
            lines.Add($"< [same as response {earlier + 1}: {message.Count} lines]");
            return;
        }
        if (message.Count > MaxMessageLines)
        {
            lines.AddRange(message.Take(KeptMessageLines).Select(l => "< " + l));
            var rest = message.Skip(KeptMessageLines).ToList();
            lines.Add($"< [+{rest.Count} more lines, sha256 {Digest(rest)}]");
            return;
        }
        lines.AddRange(message.Select(l => "< " + l));
    }

    /// <summary>The liveness probe in one line: the status line it got, or what happened instead.</summary>
    private static string LivenessOutcome(ConnectionReport conn, SnapshotScrubber scrubber)
    {
        var received = string.Concat(conn.Entries.Where(e => e.Direction == "received").Select(e => e.Text));
        if (received.Length > 0) return scrubber.ScrubValues(EscapedText.SplitLines(received)[0]);
        var events = conn.Entries.Where(e => e.Direction == "event" && !(e.Note ?? "").StartsWith("connected to ", StringComparison.Ordinal))
            .Select(e => StableNote(scrubber.ScrubValues(e.Note ?? e.Text))).ToList();
        return events.Count > 0 ? string.Join("; ", events) : "no response";
    }

    private static string Digest(IEnumerable<string> lines)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))))[..16];

    /// <summary>A placeholder whose value the seed draws: it must never be compared by its text.</summary>
    public static bool IsSeeded(string placeholder) => placeholder.StartsWith("random.", StringComparison.Ordinal)
        || placeholder.StartsWith("path.missing", StringComparison.Ordinal) || placeholder.Contains("|tamper", StringComparison.Ordinal);

    /// <summary>Pairs the case connection's sends with the fixture's send steps, in order, where the bytes are the step's.</summary>
    private static Dictionary<TranscriptLine, SendMatch> MatchSends(CaseReport c, ConformanceCase? fixture)
    {
        var matches = new Dictionary<TranscriptLine, SendMatch>(ReferenceEqualityComparer.Instance);
        if (fixture is null) return matches;
        var steps = fixture.Steps.OfType<SendStep>().ToList();
        var conn = c.Connections.FirstOrDefault(x => x.Purpose == "case");
        if (conn is null) return matches;
        var next = 0;
        foreach (var entry in conn.Entries.Where(e => e.Direction == "sent"))
        {
            if (next >= steps.Count) break;
            var partial = entry.Truncated || entry.Note == "partial send";
            if (SendTemplate.Match(steps[next], entry.Text, partial) is not { } values) continue;
            matches[entry] = new SendMatch(next + 1, SendTemplate.LineCount(steps[next]), values, partial);
            next++;
        }
        return matches;
    }

    /// <summary>What the probe answers on a healthy server: its line is left out (any other answer is written).</summary>
    public const string HealthyLiveness = "HTTP/1.1 200 OK\\r\\n";

    /// <summary>A send that is its fixture step's bytes: the step's number and the values its placeholders took.</summary>
    private sealed record SendMatch(int Step, int Lines, IReadOnlyList<(string Name, string Value)> Values, bool Partial)
    {
        /// <summary>
        /// Every whole fixture send of the connection in one line, "> [fixture sends 1, 2: 3+4 lines; {name}=value]":
        /// the steps, their line counts, and each value a placeholder took (a seeded one as {random}).
        /// </summary>
        public static string Describe(IReadOnlyList<SendMatch> sends, SnapshotScrubber scrubber)
        {
            var sb = new StringBuilder(sends.Count == 1 ? "> [fixture send " : "> [fixture sends ")
                .Append(string.Join(", ", sends.Select(m => m.Step.ToString(CultureInfo.InvariantCulture)))).Append(": ")
                .Append(string.Join("+", sends.Select(m => m.Lines.ToString(CultureInfo.InvariantCulture))))
                .Append(sends.Count == 1 && sends[0].Lines == 1 ? " line" : " lines");
            var shown = sends.SelectMany(m => m.Values).Where(v => v.Name != "host").Select(v => v.Name.StartsWith(Placeholders.CapturePrefix, StringComparison.Ordinal)
                ? "{" + v.Name + "}"
                : "{" + v.Name + "}=" + (IsSeeded(v.Name) ? SnapshotScrubber.Random : scrubber.ScrubValues(v.Value))).Distinct(StringComparer.Ordinal).ToList();
            if (shown.Count > 0) sb.Append("; ").Append(string.Join(" ", shown));
            return sb.Append(']').ToString();
        }
    }

    /// <summary>
    /// A timeout is a timeout: whether the idle bound or the whole-response deadline ran out first depends on
    /// scheduling, so the snapshot keeps the event and drops the wording that varies from run to run.
    /// </summary>
    private static string StableNote(string note) => note.StartsWith("timed out:", StringComparison.Ordinal)
        ? "timed out"
        // A server that closes while bytes of ours are still unread gets its close turned into a reset by its own
        // TCP stack, so close and reset alternate from run to run: the snapshot keeps "the server ended it".
        : note.StartsWith("connection reset by peer", StringComparison.Ordinal) || note.StartsWith("server closed the connection", StringComparison.Ordinal)
            ? "server ended the connection (close or reset)"
            // A bound is a setting (--close-timeout and friends), not the server's behaviour: keep the event, drop the number.
            : Milliseconds().Replace(note, "{n} ms");

    [GeneratedRegex(@"\b\d+ ms\b", RegexOptions.CultureInvariant)]
    private static partial Regex Milliseconds();
}
