using System.Diagnostics;
using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using Conformance.Harness.Tests.Survival;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// Ctrl-C (SIGINT) reaches the run through System.CommandLine's cancellation token: the CLI writes the
/// partial reports marked incomplete and exits 1, rather than dying with nothing written.
/// </summary>
public sealed class CliInterruptTests
{
    [Test]
    [Platform("Linux,MacOsX", Reason = "sends SIGINT with kill(1)")]
    public async Task Sigint_mid_run_writes_partial_reports_and_exits_1()
    {
        await using var server = new AnswerThenHangServer(answered: 3, hangingWanted: 2);
        var dir = Reports.TestReports.TempDir();
        var args = new[] { "run", "--target", server.BaseUri.ToString(), "--filter", "status-line", "--parallel", "2", "--seed", "3",
            "--read-timeout", "60000", "--response-deadline", "60000", "--out", dir };
        var o = await CliProcess.RunAsync(args, null, async process =>
        {
            var moment = await Task.WhenAny(server.HangingConnections, process.WaitForExitAsync());
            Assert.That(moment, Is.SameAs(server.HangingConnections), "the CLI ended before any case hung");
            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        });

        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), o.ToString());
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(report.Run.Complete, Is.False);
        Assert.That(report.Run.Note, Does.Match(@"^interrupted: \d+ of \d+ cases ran$"));
        foreach (var file in new[] { JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName })
            Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
        Assert.That(o.Stdout, Does.Contain("INCOMPLETE"));
        CliProcess.AssertNoStackTrace(o);
    }
}
