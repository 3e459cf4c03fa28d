using System.Globalization;
using System.Text;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// The text stored for one case: its verdict, its findings' rule ids and its scrubbed transcript, with
/// CR and LF visible as \r and \n at the end of each line. Timings are left out: they never repeat.
/// </summary>
public static class CaseSnapshot
{
    public static string Render(CaseReport c, SnapshotScrubber scrubber)
    {
        // The case's own seeded draws (a random cookie name echoed back, say) vary with the seed: scrub them too.
        if (c.RandomValues is { Count: > 0 } drawn)
            scrubber = new SnapshotScrubber(scrubber.Context with { KnownRandomValues = [.. scrubber.Context.KnownRandomValues, .. drawn] });
        var sb = new StringBuilder();
        sb.Append("case: ").Append(c.Id).Append('\n');
        sb.Append("verdict: ").Append(c.Verdict).Append('\n');
        sb.Append("findings:");
        var rules = c.Findings.Select(f => $"{f.Verdict} {f.Rule}").Distinct(StringComparer.Ordinal).ToList();
        if (rules.Count == 0) sb.Append(" none");
        sb.Append('\n');
        foreach (var r in rules) sb.Append("  ").Append(scrubber.ScrubValues(r)).Append('\n');

        foreach (var conn in c.Connections)
        {
            sb.Append("connection: ").Append(conn.Purpose).Append('\n');
            // Consecutive chunks of one direction are joined: how TCP split the bytes is not the server's answer.
            var i = 0;
            while (i < conn.Entries.Count)
            {
                var direction = conn.Entries[i].Direction;
                if (direction is not ("sent" or "received"))
                {
                    var e = conn.Entries[i++];
                    sb.Append("* ").Append(scrubber.ScrubValues(e.Text));
                    if (e.Note is { } note) sb.Append(" (").Append(StableNote(scrubber.ScrubValues(note))).Append(')');
                    sb.Append('\n');
                    continue;
                }
                var text = new StringBuilder();
                var truncated = false;
                for (; i < conn.Entries.Count && conn.Entries[i].Direction == direction; i++)
                {
                    text.Append(conn.Entries[i].Text);
                    truncated |= conn.Entries[i].Truncated;
                }
                var marker = direction == "sent" ? "> " : "< ";
                foreach (var line in scrubber.Scrub(EscapedText.SplitLines(text.ToString())))
                    sb.Append(marker).Append(line).Append('\n');
                if (truncated) sb.Append(marker).Append("[truncated: the transcript cap of ").Append(ReportBuilder.MaxTranscriptChunkBytes.ToString(CultureInfo.InvariantCulture)).Append(" bytes per chunk was reached]\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A timeout is a timeout: whether the idle bound or the whole-response deadline ran out first depends on
    /// scheduling, so the snapshot keeps the event and drops the wording that varies from run to run.
    /// </summary>
    private static string StableNote(string note) => note.StartsWith("timed out:", StringComparison.Ordinal)
        ? "timed out"
        // A bound is a setting (--close-timeout and friends), not the server's behaviour: keep the event, drop the number.
        : System.Text.RegularExpressions.Regex.Replace(note, @"\b\d+ ms\b", "{n} ms", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
