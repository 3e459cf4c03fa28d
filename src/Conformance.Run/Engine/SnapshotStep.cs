using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;

namespace Conformance.Harness.Engine;

/// <summary>
/// The snapshot half of the gate, as the CLI runs it: <see cref="BaselineGate"/> decides, this prints its lines
/// and records its counts in report.json (docs/baselines.md).
/// </summary>
public static class SnapshotStep
{
    public static RunResult Apply(RunSession session, RunResult result, bool accepting, GateMode mode, Action<string> log)
    {
        if (result.Report is not { } report) return result;
        var folder = Baselines.Folder(RepoPaths.Root(), session.Target.Profile.Name);
        var fixtures = session.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var outcome = BaselineGate.Apply(report, result.ExitCode, mode, accepting, folder,
            new SnapshotScrubber(Baselines.ContextFor(session.Target.BaseUri, session.Target.Profile)), fixtures);
        foreach (var line in outcome.Messages) log(line);
        if (outcome.Report is { } counts && result.ReportDirectory is { } dir)
        {
            report = report with { Baseline = counts };
            JsonReport.Write(report, dir);
        }
        // --require-all-must still holds under the baseline gate: an approved SKIP of a MUST case is coverage a lab did not get.
        var exit = mode == GateMode.Baseline && outcome.ExitCode == ExitCodes.Ok && session.Settings.RequireAllMust && RunSession.UnjudgedMust(report) > 0
            ? ExitCodes.ConformanceFailures : outcome.ExitCode;
        return result with { ExitCode = exit, Report = report };
    }
}
