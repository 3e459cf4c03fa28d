using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// The whole run, as the CLI performs it (ConformanceRun.ExecuteAsync with every report writer), survives
/// each hostile server: it finishes, writes every report, keeps bounded transcripts, and an interrupt
/// writes partial reports marked incomplete. A small filter and short bounds keep these tests quick.
/// </summary>
public sealed class WholeRunSurvivalTests
{
    private static readonly WireOptions Bounds = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(1),
        ReadTimeout = TimeSpan.FromMilliseconds(300),
        ResponseDeadline = TimeSpan.FromMilliseconds(800),
        CloseTimeout = TimeSpan.FromMilliseconds(300),
        MaxHeadBytes = 64 * 1024,
        MaxBodyBytes = 128 * 1024,
        MaxTranscriptBytes = 32 * 1024,
    };

    /// <summary>Only a hang guard: the run's own bounds end it long before this.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly string[] Outputs = [JsonReport.FileName, JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName];

    private static Task<ILaunchedTarget> NoLaunch(CancellationToken ct) => throw new InvalidOperationException("the test gives a target");

    private static async Task<RunResult> RunGuardedAsync(RunOptions options, CancellationToken ct)
    {
        var run = ConformanceRun.ExecuteAsync(options, NoLaunch, ReportWriters.All(), _ => { }, null, ct);
        var finished = await Task.WhenAny(run, Task.Delay(HangGuard, CancellationToken.None));
        Assert.That(finished, Is.SameAs(run), "the run hung");
        return await run;
    }

    [TestCase(Hostility.NeverAnswers)]
    [TestCase(Hostility.EndlessBody)]
    [TestCase(Hostility.EndlessHeaders)]
    [TestCase(Hostility.Trickle)]
    [TestCase(Hostility.Garbage)]
    [TestCase(Hostility.ResetMidResponse)]
    [TestCase(Hostility.AcceptAndClose)]
    [TestCase(Hostility.TenMegabytesOfHeaders)]
    public async Task The_whole_run_finishes_and_writes_every_report(Hostility hostility)
    {
        await using var server = new HostileServer(hostility);
        var dir = Reports.TestReports.TempDir();
        var options = new RunOptions
        {
            TargetUrl = $"http://127.0.0.1:{server.Port}/",
            Seed = 3,
            Filter = "status-line",
            Parallelism = 4,
            OutputDirectory = dir,
            Wire = Bounds,
        };
        var result = await RunGuardedAsync(options, CancellationToken.None);

        // An endless or trickled body behind a valid head can satisfy every status-line case: whether the body cap
        // (a note, the kept bytes judged) or the response deadline (a timeout ERROR) ends it first is a race, so
        // exit 0 is an honest result there; every other hostility must fail the run or stop it as unusable.
        if (hostility is Hostility.EndlessBody or Hostility.Trickle)
            Assert.That(result.ExitCode, Is.AnyOf(ExitCodes.Ok, ExitCodes.ConformanceFailures, ExitCodes.TargetOrHarness), result.Message);
        else
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures).Or.EqualTo(ExitCodes.TargetOrHarness), result.Message);
        foreach (var file in Outputs) Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, $"{hostility}: {file} written");
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        if (result.ExitCode == ExitCodes.TargetOrHarness)
        {
            // The probe found the target unusable: one clear note, no case run.
            Assert.That(report.Run.Complete, Is.False);
            Assert.That(report.Run.Note, Does.StartWith("target unreachable:"));
            Assert.That(report.Cases, Is.Empty);
            return;
        }
        Assert.That(report.Run.Complete, Is.True, report.Run.Note);
        Assert.That(report.Cases, Is.Not.Empty);
        // An endless or trickled body behind a valid head may still pass a case about the status line;
        // a server that sends no valid head never earns a PASS.
        if (hostility is not (Hostility.EndlessBody or Hostility.Trickle))
            Assert.That(report.Cases.Where(c => c.Verdict != "SKIP").Select(c => c.Verdict), Has.None.EqualTo("PASS"), $"{hostility} never earns a PASS");
        // Memory stays bounded: each connection keeps at most MaxTranscriptBytes, however much was sent.
        foreach (var c in report.Cases)
        {
            foreach (var conn in c.Connections)
                Assert.That(conn.Entries.Where(e => e.Direction == "received").Sum(e => (long)e.Bytes), Is.LessThanOrEqualTo(Bounds.MaxTranscriptBytes), $"{c.Id} kept too much");
        }
    }

    [Test]
    public async Task An_endless_body_is_cut_in_the_transcript_and_the_cut_is_marked()
    {
        await using var server = new HostileServer(Hostility.EndlessBody);
        var dir = Reports.TestReports.TempDir();
        var options = new RunOptions { TargetUrl = $"http://127.0.0.1:{server.Port}/", Seed = 3, Filter = "status-line", OutputDirectory = dir, Wire = Bounds };
        await RunGuardedAsync(options, CancellationToken.None);
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        var notes = report.Cases.SelectMany(c => c.Connections).SelectMany(c => c.Entries).Select(e => e.Note ?? "");
        Assert.That(notes, Has.Some.Contains("transcript cut at 32768 received bytes"));
        Assert.That(new FileInfo(Path.Combine(dir, JsonReport.FileName)).Length, Is.LessThan(report.Cases.Count * (Bounds.MaxTranscriptBytes + 64 * 1024L)));
    }

    [Test]
    public async Task Cancelling_mid_run_writes_partial_reports_marked_incomplete()
    {
        // The probe and two cases are answered; every later case hangs until the run is cancelled.
        await using var server = new AnswerThenHangServer(answered: 3, hangingWanted: 2);
        var dir = Reports.TestReports.TempDir();
        var options = new RunOptions
        {
            TargetUrl = server.BaseUri.ToString(),
            Seed = 3,
            Filter = "status-line",
            Parallelism = 2,
            OutputDirectory = dir,
            Wire = Bounds with { ReadTimeout = TimeSpan.FromSeconds(30), ResponseDeadline = TimeSpan.FromSeconds(30) },
        };
        using var cancel = new CancellationTokenSource();
        var run = RunGuardedAsync(options, cancel.Token);
        var moment = await Task.WhenAny(server.HangingConnections, run);
        Assert.That(moment, Is.SameAs(server.HangingConnections), "the run ended before any case hung");
        await cancel.CancelAsync();
        var result = await run;

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures));
        foreach (var file in Outputs) Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(report.Run.Complete, Is.False);
        Assert.That(report.Run.Note, Does.Match(@"^interrupted: \d+ of \d+ cases ran$"));
        Assert.That(report.Cases.Count, Is.LessThan(12));
        Assert.That(report.Cases.Select(c => c.Verdict), Has.None.EqualTo(Verdict.Error.ToLabel()), "a case cut by the interrupt is left out, not blamed on the server");
        Assert.That(report.Certification!.ConformsAtMust, Is.False);
        Assert.That(report.Certification.Statement, Does.Contain("incomplete"));
    }
}
