using Conformance.Harness.Engine;
using static Conformance.Harness.Tests.Cli.CliProcess;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// The console of a real run against the reference target, as a CI log shows it (output redirected): no
/// server log line, and the last lines are the verdict.
/// </summary>
public sealed class CliConsoleTests
{
    // The chunked area sends the malformed chunk sizes that used to put Kestrel's BadHttpRequestException
    // stack traces on the console.
    // The probe's bound is raised: these tests run beside the rest of the suite on a loaded machine.
    private static readonly string[] ChunkedRun = ["run", "--filter", "chunked", "--no-screenshot", "--seed", "1", "--read-timeout", "10000", "--connect-timeout", "10000"];

    [Test]
    public async Task A_run_against_the_reference_target_prints_no_server_log_and_ends_on_the_gate()
    {
        var dir = Reports.TestReports.TempDir();
        var o = await RunAsync([.. ChunkedRun, "--out", dir], null);
        var lines = o.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(o.ExitCode, Is.AnyOf(ExitCodes.Ok, ExitCodes.ConformanceFailures), o.ToString());
            Assert.That(o.All, Does.Not.Contain("Microsoft.AspNetCore").And.Not.Contain("fail: ").And.Not.Contain("Kestrel["), o.ToString());
            AssertNoStackTrace(o);
            Assert.That(File.Exists(Path.Combine(dir, "server", "logs", "kestrel.log")), "Kestrel logs to the run folder instead");
            Assert.That(lines[^1], Does.Match($"^ GATE (PASSED|FAILED)  exit {o.ExitCode}: --gate conformance"), o.ToString());
            Assert.That(lines[^3], Does.Contain("at MUST level"), o.ToString());
            Assert.That(o.Stdout, Does.Contain("reports: " + Path.Combine(dir, "report.html")));
            Assert.That(o.Stdout, Does.Not.Contain("\u001b"), "output that is not a terminal gets no control codes");
        });
    }

    [Test]
    public async Task Quiet_prints_only_the_verdict()
    {
        var o = await RunAsync([.. ChunkedRun, "--quiet", "--out", Reports.TestReports.TempDir()], null);
        var lines = o.Stdout.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.That(lines, Has.Count.EqualTo(4), o.ToString());
        Assert.That(lines[0], Does.StartWith("reports: "));
        Assert.That(lines[^1], Does.Contain("GATE"));
    }

    [Test]
    public async Task Quiet_and_verbose_together_are_refused()
    {
        var o = await RunAsync("run", "--quiet", "--verbose");
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.Stderr, Does.Contain("--quiet and --verbose"));
    }
}
