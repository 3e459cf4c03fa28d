using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Tests.Engine;
using Conformance.Harness.Tests.FaultServer;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>
/// The gate from end to end against an in-process fault server: accept a run, gate an identical run, then change
/// one behaviour of the server and see exactly one change, with its bytes, in the gate and in the diff. Also
/// every exit code the gate can give (docs/baselines.md, "Exit codes").
/// </summary>
public sealed class GateEndToEndTests
{
    private static readonly IReadOnlyList<ConformanceCase> Cases =
    [
        CaseHarness.Parse(CaseHarness.Header(id: "root-is-2xx") + CaseHarness.Get("/") + "expect: 2xx\n"),
        CaseHarness.Parse(CaseHarness.Header(id: "empty-is-204") + CaseHarness.Get("/empty") + "expect: 204\n"),
    ];

    private static readonly IReadOnlyDictionary<string, ConformanceCase> ById = Cases.ToDictionary(c => c.Id);

    private static async Task<RunReport> RunAsync(int port, int seed = 7)
    {
        var target = new Target(new Uri($"http://127.0.0.1:{port}/"), CaseHarness.FaultProfile());
        var settings = CaseHarness.Fast with { Seed = seed };
        var started = DateTimeOffset.UtcNow;
        var outcome = await new SuiteRunner(target, settings, NamedCheckRegistry.Default).RunAsync(Cases, null, CancellationToken.None);
        return ReportBuilder.Build(new ReportBuilder.RunFacts(target, settings, new string('b', 64), 1, Cases.Count, null, started, DateTimeOffset.UtcNow, true, null, null),
            [.. Cases.Select(c => outcome.Results.Single(r => r.Case.Id == c.Id))]);
    }

    private static BaselineGateOutcome Gate(RunReport report, int port, string folder, bool accepting = false, GateMode mode = GateMode.Baseline, int runExit = -1)
        => BaselineGate.Apply(report, runExit < 0 ? RunSession.GateExitCode(report, strict: false) : runExit, mode, accepting, folder,
            new SnapshotScrubber(new ScrubContext { HostPort = $"127.0.0.1:{port}", RandomPrefixes = ["/missing/"] }), ById);

    [Test]
    public async Task One_changed_behaviour_is_exactly_one_change_in_the_gate_and_in_the_diff_with_its_bytes()
    {
        using var server = new FaultServer.FaultServer();
        var folder = Path.Combine(TestReports.TempDir(), "baselines");

        var approved = await RunAsync(server.Port);
        var accepted = Gate(approved, server.Port, folder, accepting: true);
        Assert.That(accepted.ExitCode, Is.EqualTo(ExitCodes.Ok), "accepting under --gate baseline approves the run: nothing is left to fail");
        Assert.That(File.ReadAllText(Path.Combine(folder, "_verdicts.test.verified.txt")), Does.Contain("root-is-2xx").And.Contain("empty-is-204"));

        var again = Gate(await RunAsync(server.Port, seed: 8), server.Port, folder);
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Ok), string.Join("\n", again.Messages));

        server.Map("/", _ => FaultResponse.Text(500, "Internal Server Error", "hello"));
        var changedRun = await RunAsync(server.Port);
        var gate = Gate(changedRun, server.Port, folder);
        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures));
            Assert.That(gate.Snapshots!.Mismatches.Select(m => m.CaseId), Is.EqualTo(new[] { "root-is-2xx" }));
            Assert.That((gate.Snapshots.VerdictChanges, gate.Snapshots.FindingChanges, gate.Snapshots.TranscriptChanges), Is.EqualTo((1, 0, 0)));
            Assert.That(gate.Messages[^1], Does.StartWith("snapshots: 1 verdict change(s), 0 findings change(s), 0 transcript-only change(s)"));
            Assert.That(gate.Snapshots.Mismatches[0].Diff, Does.Contain("-< HTTP/1.1 200 OK").And.Contain("+< HTTP/1.1 500 Internal Server Error"));
            Assert.That(gate.Report!.Changed, Is.EqualTo(new[] { new BaselineChangeReport("root-is-2xx", "verdict changed") }));
        });

        var diff = ReportDiff.Compare(approved, changedRun, strict: false);
        Assert.Multiple(() =>
        {
            Assert.That(diff.Cases.Select(c => (c.Id, c.Kind)), Is.EqualTo(new[] { ("root-is-2xx", DiffKind.Regression) }));
            Assert.That(diff.Cases[0].ReceivedDiff, Does.Contain("+< HTTP/1.1 500 Internal Server Error"));
            Assert.That((diff.Cases[0].OldVerdict, diff.Cases[0].NewVerdict), Is.EqualTo(("PASS", "FAIL")));
        });
    }

    [Test]
    public async Task A_transcript_only_change_is_counted_apart_from_verdict_changes()
    {
        using var server = new FaultServer.FaultServer();
        var folder = Path.Combine(TestReports.TempDir(), "baselines");
        Gate(await RunAsync(server.Port), server.Port, folder, accepting: true);
        server.Map("/", _ => FaultResponse.Text(200, "OK", "hello, changed"));
        var gate = Gate(await RunAsync(server.Port), server.Port, folder);
        Assert.That((gate.Snapshots!.VerdictChanges, gate.Snapshots.TranscriptChanges), Is.EqualTo((0, 1)));
        Assert.That(gate.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures));
    }

    [Test]
    public async Task Every_exit_code_of_the_gate()
    {
        using var server = new FaultServer.FaultServer();
        var root = TestReports.TempDir();
        var folder = Path.Combine(root, "baselines");
        var report = await RunAsync(server.Port);
        var failing = RunSession.GateExitCode(report with { Summary = report.Summary with { ByVerdict = new Dictionary<string, int>(report.Summary.ByVerdict) { ["FAIL"] = 1 } } }, false);

        Assert.Multiple(() =>
        {
            Assert.That(Gate(report, server.Port, folder).ExitCode, Is.EqualTo(ExitCodes.BadUsage), "--gate baseline without a baseline folder");
            Assert.That(Gate(report, server.Port, folder, mode: GateMode.Conformance).ExitCode, Is.EqualTo(ExitCodes.Ok), "--gate conformance without baselines: the run's own code");
            Assert.That(Gate(report, server.Port, folder, accepting: true, mode: GateMode.Conformance, runExit: failing).ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), "--accept under --gate conformance keeps the run's FAILs");
            Assert.That(Gate(report, server.Port, folder, accepting: true, runExit: failing).ExitCode, Is.EqualTo(ExitCodes.Ok), "--accept --gate baseline: approved, exit 0");
            Assert.That(Gate(report, server.Port, folder, runExit: failing).ExitCode, Is.EqualTo(ExitCodes.Ok), "an approved FAIL passes the baseline gate");
            Assert.That(Gate(report, server.Port, folder, mode: GateMode.Conformance, runExit: failing).ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), "the conformance gate still fails on a FAIL");
            Assert.That(Gate(report with { Run = report.Run with { Complete = false } }, server.Port, folder).ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), "a partial run proves nothing");
            Assert.That(Gate(report, server.Port, folder, runExit: ExitCodes.TargetOrHarness).ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness), "unreachable: nothing judged");
        });
    }
}
