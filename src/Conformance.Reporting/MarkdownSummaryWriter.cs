using System.Globalization;
using System.Text;
using Conformance.Harness.Model;

namespace Conformance.Harness.Reports;

/// <summary>summary.md: short enough for a CI step summary ($GITHUB_STEP_SUMMARY), complete about what failed.</summary>
public sealed partial class MarkdownSummaryWriter : IReportWriter
{
    public const string FileName = "summary.md";

    private static readonly Verdict[] Columns = [Verdict.Pass, Verdict.Fail, Verdict.Warn, Verdict.Info, Verdict.Skip, Verdict.Error];

    public string Write(RunReport report, string directory) => ReportFiles.WriteText(directory, FileName, Render(report));

    public static string Render(RunReport report)
    {
        var cert = report.Certification ?? Certification.From(report);
        var sb = new StringBuilder();
        sb.Append("## HTTP/1.1 conformance: ").Append(Markdown.Text(report.Target.Profile)).Append("\n\n");
        sb.Append(cert.ConformsAtMust ? "✅ " : "❌ ").Append("**").Append(Markdown.Text(cert.Statement)).Append("**\n\n");
        if (report.Run.Label is { Length: > 0 } label) sb.Append("Product: ").Append(Markdown.Text(label)).Append(". ");
        if (report.Run.Operator is { Length: > 0 } who) sb.Append("Operator: ").Append(Markdown.Text(who)).Append(". ");
        sb.Append(Markdown.Text(cert.CountsLine())).Append(". ");
        sb.Append("Suite ").Append(Markdown.Text(cert.SuiteVersion)).Append(", fixtures ").Append(Markdown.Code(cert.FixturesSha256[..Math.Min(12, cert.FixturesSha256.Length)]));
        sb.Append(", target ").Append(Markdown.Code(cert.TargetUrl)).Append(" (profile ").Append(Markdown.Text(cert.Profile));
        if (cert.ServerIdentity is { } server) sb.Append(", server ").Append(Markdown.Code(server));
        sb.Append("), seed ").Append(report.Seed.ToString(CultureInfo.InvariantCulture));
        sb.Append(", ").Append(cert.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(".\n\n");
        if (report.Target.Tls is { } tls) sb.Append("TLS: ").Append(Markdown.Text(tls.Summary)).Append(".\n\n");

        sb.Append("| area |");
        foreach (var c in Columns) sb.Append(' ').Append(c.ToLabel()).Append(" |");
        sb.Append("\n|---|");
        foreach (var _ in Columns) sb.Append("---:|");
        sb.Append('\n');
        foreach (var (area, counts) in report.Summary.ByArea) Row(sb, Markdown.Text(area), counts);
        Row(sb, "**total**", report.Summary.ByVerdict);
        sb.Append('\n');
        foreach (var line in CoverageLines.For(report)) sb.Append(line.StartsWith(' ') ? "  - " : "- ").Append(Markdown.Text(line.Trim())).Append('\n');
        BrowserSection(sb, report);
        RuleGroupSection(sb, report);

        var notable = report.Cases.Where(c => c.Verdict is "FAIL" or "ERROR" or "WARN")
            .OrderBy(c => c.Verdict switch { "FAIL" => 0, "ERROR" => 1, _ => 2 }).ToList();
        if (notable.Count > 0)
        {
            sb.Append("\n### Failures, errors and warnings\n");
            foreach (var c in notable)
            {
                // The headline is the deciding finding's level, section and sentence (the case's when no finding has them).
                sb.Append("\n- **").Append(c.Verdict).Append("** ").Append(Markdown.Code(c.Id)).Append(" — ")
                  .Append(c.HeadlineLevel).Append(", ").Append(Markdown.Text(c.HeadlineRfc));
                if (c.DecidedBy is { } decided) sb.Append(" (").Append(Markdown.Code(decided.Rule)).Append(')');
                sb.Append(", ").Append(Markdown.Code(c.Source)).Append('\n');
                sb.Append("  - requirement: ").Append(Markdown.Text(c.HeadlineRequirement)).Append('\n');
                if (c.Reason is { } reason) sb.Append("  - reason: ").Append(Markdown.Text(reason)).Append('\n');
                foreach (var f in c.Findings.Where(f => f.Verdict is "FAIL" or "ERROR" or "WARN"))
                {
                    sb.Append("  - ").Append(f.Verdict).Append(' ').Append(Markdown.Code(f.Rule));
                    if (f.Requirement is { } req && req != c.Requirement) sb.Append(": ").Append(Markdown.Text(req));
                    if (f.Expected is not null) sb.Append(" — expected ").Append(Markdown.Code(f.Expected));
                    if (f.Actual is not null) sb.Append(", actual ").Append(Markdown.Code(f.Actual));
                    if (f.Detail is { } detail) sb.Append(" (").Append(Markdown.Text(detail)).Append(')');
                    if (f.Location is { } loc && loc != c.Source) sb.Append(" at ").Append(Markdown.Code(loc));
                    sb.Append('\n');
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The FAILs (and then WARNs) grouped by the rule they broke: one line per rule with its count and one example.</summary>
    private static void RuleGroupSection(StringBuilder sb, RunReport report)
    {
        foreach (var (verdict, heading) in new[] { ("FAIL", "FAILs by broken rule"), ("WARN", "WARNs by rule") })
        {
            var groups = RuleGroups.Of(report, verdict);
            if (groups.Count == 0) continue;
            sb.Append("\n### ").Append(heading).Append("\n\n| cases | rule | level | requirement | example |\n|---:|---|---|---|---|\n");
            foreach (var g in groups)
            {
                sb.Append("| ").Append(g.Count.ToString(CultureInfo.InvariantCulture)).Append(" | ").Append(Markdown.Text(g.Title)).Append(" | ").Append(Markdown.Text(g.Level ?? ""))
                  .Append(" | ").Append(Markdown.Text(g.ShortRequirement(160))).Append(" | ").Append(Markdown.Code(g.CaseIds[0])).Append(": ").Append(Markdown.Text(g.ExampleEvidence())).Append(" |\n");
            }
        }
    }

    private static void Row(StringBuilder sb, string label, IReadOnlyDictionary<string, int> counts)
    {
        sb.Append("| ").Append(label).Append(" |");
        foreach (var c in Columns) sb.Append(' ').Append(counts.GetValueOrDefault(c.ToLabel()).ToString(CultureInfo.InvariantCulture)).Append(" |");
        sb.Append('\n');
    }
}
