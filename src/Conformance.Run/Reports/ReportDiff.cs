using System.Globalization;
using System.Net;
using System.Text;
using Conformance.Harness.Snapshots;

namespace Conformance.Harness.Reports;

/// <summary>Which list a case of a diff is in; each case is in exactly one.</summary>
public enum DiffKind
{
    /// <summary>Newly failing (FAIL/ERROR; WARN under strict), newly skipped, or gone: coverage or conformance was lost.</summary>
    Regression,

    /// <summary>Was FAIL/ERROR/WARN, now PASS/INFO.</summary>
    Fixed,

    /// <summary>Any other difference: a lateral verdict change, other findings, or other bytes received.</summary>
    Changed,

    /// <summary>Only in the new report.</summary>
    Added,
}

/// <summary>
/// One case that differs between two reports: each side's verdict and observed outcomes, the headline finding's
/// expected and actual, the rule ids that appeared or went, and a unified diff of the scrubbed bytes received.
/// </summary>
public sealed record CaseDiff
{
    public required string Id { get; init; }
    public required DiffKind Kind { get; init; }
    public required string Area { get; init; }
    public required string Level { get; init; }
    public required string Requirement { get; init; }
    public required string Source { get; init; }
    public string? OldVerdict { get; init; }
    public string? NewVerdict { get; init; }
    public string? OldObserved { get; init; }
    public string? NewObserved { get; init; }

    /// <summary>What the case expected (the headline finding's "expected", new side first).</summary>
    public string? Expected { get; init; }

    public string? OldActual { get; init; }
    public string? NewActual { get; init; }
    public IReadOnlyList<string> FindingsGone { get; init; } = [];
    public IReadOnlyList<string> FindingsNew { get; init; } = [];

    /// <summary>A unified diff of the scrubbed bytes received (old → new); null when they are the same.</summary>
    public string? ReceivedDiff { get; init; }

    /// <summary>Why the case is listed: "verdict", "findings", "bytes received", "lost coverage", "removed", "added".</summary>
    public required IReadOnlyList<string> Why { get; init; }
}

/// <summary>What changed between two runs (two builds of a server, or two servers): a result, never an exit code.</summary>
public sealed record ReportDiffResult
{
    public required RunReport Old { get; init; }
    public required RunReport New { get; init; }
    public required bool Strict { get; init; }

    /// <summary>Where each run's report.html is, as a link from where the diff is read (null: no links).</summary>
    public string? OldHtml { get; init; }

    public string? NewHtml { get; init; }

    /// <summary>Every case that differs, in the new report's order (removed cases last), each once.</summary>
    public required IReadOnlyList<CaseDiff> Cases { get; init; }

    public IReadOnlyList<CaseDiff> Regressions => Cases.Where(c => c.Kind == DiffKind.Regression).ToList();
    public IReadOnlyList<CaseDiff> Fixed => Cases.Where(c => c.Kind == DiffKind.Fixed).ToList();
    public IReadOnlyList<CaseDiff> Changed => Cases.Where(c => c.Kind == DiffKind.Changed).ToList();
    public IReadOnlyList<CaseDiff> Added => Cases.Where(c => c.Kind == DiffKind.Added).ToList();

    /// <summary>Judged cases that are SKIP now, and cases gone from the run: counted among the regressions.</summary>
    public int LostCoverage => Cases.Count(c => c.Why.Contains("lost coverage") || c.Why.Contains("removed"));

    public bool HasRegressions => Regressions.Count > 0;
    public bool SameSeed => Old.Seed == New.Seed;
    public bool SameFixtures => Old.Fixtures.Sha256 == New.Fixtures.Sha256;
}

public static class ReportDiff
{
    public const string MarkdownFileName = "diff.md";
    public const string HtmlFileName = "diff.html";

    /// <summary>Lines of a bytes-received diff shown per case; the rest is counted, not shown.</summary>
    private const int MaxDiffLines = 40;

    public static ReportDiffResult Compare(RunReport old, RunReport @new, bool strict, string? oldHtml = null, string? newHtml = null)
    {
        var before = old.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var after = @new.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var oldScrubber = ScrubberFor(old);
        var newScrubber = ScrubberFor(@new);
        var cases = new List<CaseDiff>();
        foreach (var n in @new.Cases)
        {
            if (!before.TryGetValue(n.Id, out var o))
            {
                cases.Add(Row(null, n, DiffKind.Added, ["added"], null));
                continue;
            }
            var why = new List<string>();
            if (o.Verdict != n.Verdict) why.Add("verdict");
            if (!Rules(o).SequenceEqual(Rules(n), StringComparer.Ordinal)) why.Add("findings");
            var bytes = ReceivedDiff(o, oldScrubber, n, newScrubber);
            if (bytes is not null) why.Add("bytes received");
            if (why.Count == 0) continue;
            var kind = DiffKind.Changed;
            if (o.Verdict != n.Verdict)
            {
                if (n.Verdict == "SKIP")
                {
                    kind = DiffKind.Regression;
                    why.Add("lost coverage");
                }
                else if (IsRegression(o.Verdict, n.Verdict, strict)) kind = DiffKind.Regression;
                else if (o.Verdict is "FAIL" or "ERROR" or "WARN" && n.Verdict is "PASS" or "INFO") kind = DiffKind.Fixed;
            }
            cases.Add(Row(o, n, kind, why, bytes));
        }
        foreach (var o in old.Cases.Where(o => !after.ContainsKey(o.Id)))
            cases.Add(Row(o, null, DiffKind.Regression, ["removed"], null));
        return new ReportDiffResult { Old = old, New = @new, Strict = strict, Cases = cases, OldHtml = oldHtml, NewHtml = newHtml };
    }

    public static bool IsRegression(string oldVerdict, string newVerdict, bool strict)
        => (oldVerdict is "PASS" or "INFO" or "SKIP" or "WARN" && newVerdict is "FAIL" or "ERROR")
           || (oldVerdict != "SKIP" && newVerdict == "SKIP")
           || (strict && oldVerdict is "PASS" or "INFO" && newVerdict == "WARN");

    private static IReadOnlyList<string> Rules(CaseReport c) => c.Findings.Select(f => $"{f.Verdict} {f.Rule}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static CaseDiff Row(CaseReport? o, CaseReport? n, DiffKind kind, IReadOnlyList<string> why, string? bytes)
    {
        var c = (n ?? o)!;
        var headlineNew = n?.Findings.FirstOrDefault(f => f.Verdict == n.Verdict) ?? n?.Findings.FirstOrDefault();
        var headlineOld = o?.Findings.FirstOrDefault(f => f.Verdict == o.Verdict) ?? o?.Findings.FirstOrDefault();
        var oldRules = o is null ? [] : Rules(o);
        var newRules = n is null ? [] : Rules(n);
        return new CaseDiff
        {
            Id = c.Id,
            Kind = kind,
            Area = c.Area,
            Level = c.Level,
            Requirement = c.Requirement,
            Source = c.Source,
            OldVerdict = o?.Verdict,
            NewVerdict = n?.Verdict,
            OldObserved = o is null ? null : string.Join(", ", o.Observed),
            NewObserved = n is null ? null : string.Join(", ", n.Observed),
            Expected = headlineNew?.Expected ?? headlineOld?.Expected,
            OldActual = headlineOld?.Actual ?? o?.Reason,
            NewActual = headlineNew?.Actual ?? n?.Reason,
            FindingsGone = oldRules.Except(newRules, StringComparer.Ordinal).ToList(),
            FindingsNew = newRules.Except(oldRules, StringComparer.Ordinal).ToList(),
            ReceivedDiff = bytes,
            Why = why,
        };
    }

    /// <summary>Each report scrubbed for its own run (its host and port, its missing-path prefix when the profile file is at hand).</summary>
    private static SnapshotScrubber ScrubberFor(RunReport report)
    {
        IReadOnlyList<string> prefixes = [];
        if (report.Target.ProfileFile is { } file && File.Exists(file))
        {
            try
            {
                prefixes = Targets.TargetProfileLoader.Load(file).Roles.Missing is { Random: true } m ? [m.RandomPrefix] : [];
            }
            catch (Targets.ProfileException)
            {
                // A profile edited since the run only costs the prefix; the random tokens are scrubbed anyway.
            }
        }
        var authority = Uri.TryCreate(report.Target.Url, UriKind.Absolute, out var uri) ? uri.Authority : null;
        return new SnapshotScrubber(new ScrubContext { HostPort = authority, RandomPrefixes = prefixes });
    }

    /// <summary>The scrubbed received side of a case's snapshot (its responses and the liveness outcome), old vs new.</summary>
    private static string? ReceivedDiff(CaseReport o, SnapshotScrubber oldScrubber, CaseReport n, SnapshotScrubber newScrubber)
    {
        var before = Received(o, oldScrubber);
        var after = Received(n, newScrubber);
        if (before == after) return null;
        var diff = UnifiedDiff.Render("old", "new", before, after, context: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        return diff.Count <= MaxDiffLines
            ? string.Join("\n", diff)
            : string.Join("\n", diff.Take(MaxDiffLines)) + string.Create(CultureInfo.InvariantCulture, $"\n… {diff.Count - MaxDiffLines} more diff lines in the transcripts");
    }

    private static string Received(CaseReport c, SnapshotScrubber scrubber)
        => SnapshotRenderer.Render(c, null, scrubber).Transcript is { } t
            ? string.Concat(t.Split('\n').Where(l => l.StartsWith("< ", StringComparison.Ordinal) || l.StartsWith("connection: liveness", StringComparison.Ordinal)).Select(l => l + "\n"))
            : "";

    public static string RenderMarkdown(ReportDiffResult d)
    {
        var sb = new StringBuilder();
        sb.Append("## Conformance diff\n\n| | old | new |\n|---|---|---|\n");
        HeaderRow(sb, "target", r => Markdown.Code(r.Target.Url) + " (profile " + Markdown.Text(r.Target.Profile) + ")", d);
        HeaderRow(sb, "server", r => r.Target.ServerIdentity is { } s ? Markdown.Code(s) : "unknown", d);
        HeaderRow(sb, "seed", r => r.Seed.ToString(CultureInfo.InvariantCulture), d);
        HeaderRow(sb, "fixtures", r => Markdown.Code(r.Fixtures.Sha256[..Math.Min(12, r.Fixtures.Sha256.Length)]) + string.Create(CultureInfo.InvariantCulture, $" ({r.Fixtures.Cases} cases)"), d);
        HeaderRow(sb, "suite", r => Markdown.Text(r.Suite.Version), d);
        HeaderRow(sb, "run", r => string.Create(CultureInfo.InvariantCulture, $"{r.Run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {r.Cases.Count} cases{(r.Run.Complete ? "" : ", incomplete")}"), d);
        sb.Append('\n');
        if (!d.SameFixtures) sb.Append("Note: the fixture sets differ, so some changes may come from the cases, not the server.\n\n");
        if (!d.SameSeed) sb.Append("Note: the seeds differ; seeded values are scrubbed, but run both with the same `--seed` to compare like with like.\n\n");
        sb.Append(d.HasRegressions ? "❌ " : "✅ ").Append(Counts(d, bold: true)).Append('\n');
        foreach (var (title, kind) in Sections)
        {
            var rows = d.Cases.Where(c => c.Kind == kind).ToList();
            if (rows.Count == 0) continue;
            sb.Append("\n### ").Append(title).Append("\n\n| case | level | why | old | new | expected | actual (old → new) | transcripts |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var c in rows)
            {
                sb.Append("| ").Append(Markdown.Code(c.Id)).Append(" | ").Append(c.Level).Append(" | ").Append(Markdown.Text(string.Join(", ", c.Why)))
                  .Append(" | ").Append(Side(c.OldVerdict, c.OldObserved)).Append(" | ").Append(Side(c.NewVerdict, c.NewObserved))
                  .Append(" | ").Append(Markdown.Text(c.Expected ?? "—")).Append(" | ").Append(Markdown.Text((c.OldActual ?? "—") + " → " + (c.NewActual ?? "—")))
                  .Append(" | ").Append(Links(d, c, markdown: true)).Append(" |\n");
            }
            foreach (var c in rows.Where(c => c.ReceivedDiff is not null || c.FindingsGone.Count + c.FindingsNew.Count > 0))
            {
                sb.Append("\n`").Append(c.Id).Append("`");
                if (c.FindingsGone.Count > 0) sb.Append(" findings gone: ").Append(Markdown.Text(string.Join(", ", c.FindingsGone))).Append(';');
                if (c.FindingsNew.Count > 0) sb.Append(" findings new: ").Append(Markdown.Text(string.Join(", ", c.FindingsNew))).Append(';');
                sb.Append('\n');
                if (c.ReceivedDiff is { } bytes) sb.Append("\n```diff\n").Append(bytes.Replace("```", "`​``", StringComparison.Ordinal)).Append("\n```\n");
            }
        }
        return sb.ToString();
    }

    private static readonly (string Title, DiffKind Kind)[] Sections =
    [
        ("Regressions (newly failing, newly skipped or removed)", DiffKind.Regression),
        ("Fixed", DiffKind.Fixed),
        ("Changed (lateral verdict change, findings or bytes received)", DiffKind.Changed),
        ("Added cases", DiffKind.Added),
    ];

    /// <summary>The one-line count: each case counted once, in its one list.</summary>
    public static string Counts(ReportDiffResult d, bool bold = false) => string.Create(CultureInfo.InvariantCulture,
        $"{(bold ? "**" : "")}{d.Regressions.Count} regressions{(bold ? "**" : "")} ({d.LostCoverage} lost coverage), {d.Fixed.Count} fixed, {d.Changed.Count} changed, {d.Added.Count} added{(d.Strict ? " (strict: PASS → WARN counts)" : "")}.");

    private static void HeaderRow(StringBuilder sb, string name, Func<RunReport, string> value, ReportDiffResult d)
        => sb.Append("| ").Append(name).Append(" | ").Append(value(d.Old)).Append(" | ").Append(value(d.New)).Append(" |\n");

    private static string Side(string? verdict, string? observed) => verdict is null ? "—" : observed is { Length: > 0 } o ? $"{verdict} ({Markdown.Text(o)})" : verdict;

    private static string Links(ReportDiffResult d, CaseDiff c, bool markdown)
    {
        var links = new List<string>();
        if (d.OldHtml is { } oldHtml && c.OldVerdict is not null) links.Add(markdown ? $"[old]({oldHtml}#case-{c.Id})" : $"<a href=\"{WebUtility.HtmlEncode(oldHtml)}#case-{WebUtility.HtmlEncode(c.Id)}\">old</a>");
        if (d.NewHtml is { } newHtml && c.NewVerdict is not null) links.Add(markdown ? $"[new]({newHtml}#case-{c.Id})" : $"<a href=\"{WebUtility.HtmlEncode(newHtml)}#case-{WebUtility.HtmlEncode(c.Id)}\">new</a>");
        return links.Count == 0 ? "—" : string.Join(" ", links);
    }

    public static string RenderHtml(ReportDiffResult d)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<link rel=\"icon\" href=\"data:,\">\n")
          .Append("<title>Conformance diff</title>\n<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1300px;margin:1.5em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}")
          .Append("pre{background:#f6f6f6;padding:.4em;overflow:auto;margin:0}.del{color:#c62828}.ins{color:#2e7d32}.FAIL,.ERROR{color:#c62828;font-weight:bold}.WARN{color:#b26a00}.PASS{color:#2e7d32}.bad{color:#c62828}.good{color:#2e7d32}</style>\n</head>\n<body>\n<h1>Conformance diff</h1>\n");
        sb.Append("<table id=\"runs\"><tr><th></th><th>old</th><th>new</th></tr>\n");
        foreach (var (name, value) in new (string, Func<RunReport, string>)[]
        {
            ("target", r => $"{r.Target.Url} (profile {r.Target.Profile})"),
            ("server", r => r.Target.ServerIdentity ?? "unknown"),
            ("seed", r => r.Seed.ToString(CultureInfo.InvariantCulture)),
            ("fixtures", r => $"{r.Fixtures.Sha256} ({r.Fixtures.Cases.ToString(CultureInfo.InvariantCulture)} cases)"),
            ("suite", r => r.Suite.Version),
            ("run", r => r.Run.StartedAt.ToString("u", CultureInfo.InvariantCulture) + (r.Run.Complete ? "" : ", incomplete")),
        })
            sb.Append("<tr><th>").Append(name).Append("</th><td>").Append(E(value(d.Old))).Append("</td><td>").Append(E(value(d.New))).Append("</td></tr>\n");
        sb.Append("</table>\n");
        if (!d.SameFixtures) sb.Append("<p>Note: the fixture sets differ, so some changes may come from the cases, not the server.</p>\n");
        if (!d.SameSeed) sb.Append("<p>Note: the seeds differ; seeded values are scrubbed, but run both with the same --seed to compare like with like.</p>\n");
        sb.Append("<p class=\"").Append(d.HasRegressions ? "bad" : "good").Append("\"><strong>").Append(E(Counts(d))).Append("</strong></p>\n");
        foreach (var (title, kind) in Sections)
        {
            var rows = d.Cases.Where(c => c.Kind == kind).ToList();
            sb.Append("<h2>").Append(E(title)).Append("</h2>\n");
            if (rows.Count == 0) { sb.Append("<p>none</p>\n"); continue; }
            sb.Append("<table id=\"").Append(kind.ToString().ToLowerInvariant()).Append("\"><tr><th>case</th><th>level</th><th>why</th><th>old</th><th>new</th><th>expected</th><th>actual (old → new)</th><th>transcripts</th></tr>\n");
            foreach (var c in rows)
            {
                sb.Append("<tr><td><code>").Append(E(c.Id)).Append("</code><br><small>").Append(E(c.Source)).Append("</small></td><td>").Append(E(c.Level)).Append("</td><td>").Append(E(string.Join(", ", c.Why)))
                  .Append("</td><td class=\"").Append(E(c.OldVerdict)).Append("\">").Append(E(c.OldVerdict ?? "—")).Append(c.OldObserved is { Length: > 0 } oo ? " (" + E(oo) + ")" : "")
                  .Append("</td><td class=\"").Append(E(c.NewVerdict)).Append("\">").Append(E(c.NewVerdict ?? "—")).Append(c.NewObserved is { Length: > 0 } no ? " (" + E(no) + ")" : "")
                  .Append("</td><td>").Append(E(c.Expected ?? "—")).Append("</td><td>").Append(E((c.OldActual ?? "—") + " → " + (c.NewActual ?? "—"))).Append("</td><td>").Append(Links(d, c, markdown: false)).Append("</td></tr>\n");
                if (c.ReceivedDiff is { } bytes || c.FindingsGone.Count + c.FindingsNew.Count > 0)
                {
                    sb.Append("<tr><td colspan=\"8\">");
                    if (c.FindingsGone.Count > 0) sb.Append("findings gone: ").Append(E(string.Join(", ", c.FindingsGone))).Append("<br>");
                    if (c.FindingsNew.Count > 0) sb.Append("findings new: ").Append(E(string.Join(", ", c.FindingsNew))).Append("<br>");
                    if (c.ReceivedDiff is { } b)
                    {
                        sb.Append("<pre>");
                        foreach (var line in b.Split('\n'))
                            sb.Append("<span class=\"").Append(line.StartsWith('-') ? "del" : line.StartsWith('+') ? "ins" : "ctx").Append("\">").Append(E(line)).Append("</span>\n");
                        sb.Append("</pre>");
                    }
                    sb.Append("</td></tr>\n");
                }
            }
            sb.Append("</table>\n");
        }
        return sb.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Writes diff.md and diff.html into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Markdown, string Html) Write(ReportDiffResult diff, string directory)
    {
        Directory.CreateDirectory(directory);
        var md = Path.Combine(directory, MarkdownFileName);
        var html = Path.Combine(directory, HtmlFileName);
        File.WriteAllText(md, RenderMarkdown(diff), new UTF8Encoding(false));
        File.WriteAllText(html, RenderHtml(diff), new UTF8Encoding(false));
        return (md, html);
    }

    /// <summary>
    /// Reads both reports and compares them, with links to each run's report.html relative to
    /// <paramref name="linkFrom"/> (where the diff will be read). Throws <see cref="InvalidDataException"/> naming
    /// the file that cannot be read.
    /// </summary>
    public static ReportDiffResult Load(string oldPath, string newPath, bool strict, string linkFrom)
    {
        var old = JsonReport.Read(oldPath);
        var @new = JsonReport.Read(newPath);
        return Compare(old, @new, strict, HtmlLink(oldPath, linkFrom), HtmlLink(newPath, linkFrom));
    }

    private static string HtmlLink(string reportJson, string from)
    {
        var html = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportJson)) ?? ".", HtmlReportWriter.FileName);
        return Path.GetRelativePath(Path.GetFullPath(from), html).Replace('\\', '/');
    }
}
