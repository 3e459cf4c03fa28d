using System.Text;
using Conformance.Harness.Model;

namespace Conformance.Harness.Reports;

/// <summary>The per-area table printed at the end of every run, ending with where the reports are.</summary>
public static class ConsoleSummary
{
    private static readonly Verdict[] Columns = [Verdict.Pass, Verdict.Fail, Verdict.Warn, Verdict.Info, Verdict.Skip, Verdict.Error];

    public static string Render(RunReport report, string? reportDirectory)
    {
        var sb = new StringBuilder();
        var width = Math.Max(12, report.Summary.ByArea.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine();
        sb.AppendLine($"HTTP/1.1 conformance {report.Suite.Version} against {report.Target.Url} (profile {report.Target.Profile}{(report.Target.ServerIdentity is { } s ? ", server \"" + s + "\"" : "")})");
        sb.AppendLine($"seed {report.Seed}, fixtures {report.Fixtures.Sha256[..12]}…, {report.Summary.Total} cases in {report.Run.DurationMs / 1000:0.00} s{(report.Run.Complete ? "" : " — INCOMPLETE")}");
        sb.Append("area".PadRight(width));
        foreach (var c in Columns) sb.Append(c.ToLabel().PadLeft(7));
        sb.AppendLine();
        foreach (var (area, counts) in report.Summary.ByArea)
        {
            sb.Append(area.PadRight(width));
            foreach (var c in Columns) sb.Append(counts[c.ToLabel()].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(7));
            sb.AppendLine();
        }
        sb.Append("total".PadRight(width));
        foreach (var c in Columns) sb.Append(report.Summary.ByVerdict[c.ToLabel()].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(7));
        sb.AppendLine();
        foreach (var line in CoverageLines.For(report)) sb.AppendLine(line);

        foreach (var failing in report.Cases.Where(c => c.Verdict is "FAIL" or "ERROR" or "WARN"))
        {
            sb.AppendLine();
            // The headline names the rule that decided the verdict, at its own level (a MUST Date finding in a SHOULD case).
            sb.AppendLine($"{failing.Verdict} {failing.Id} ({failing.HeadlineLevel}, {failing.HeadlineRfc}{(failing.DecidedBy is { } d ? ", " + d.Rule : "")}) — {failing.Source}");
            if (failing.Reason is { } reason) sb.AppendLine("  " + reason);
            foreach (var f in failing.Findings.Where(f => f.Verdict == failing.Verdict))
                sb.AppendLine("  " + f.Message.Replace("\n", "\n  ", StringComparison.Ordinal));
        }
        if (reportDirectory is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"reports: {reportDirectory}");
        }
        return sb.ToString();
    }
}
