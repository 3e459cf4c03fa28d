using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using static Conformance.Harness.Tests.Cli.CliProcess;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// Bad input gets one clear message naming the problem (and the file and line where there is one), the
/// documented exit code (2 usage/config, 3 unreachable), and no stack trace.
/// </summary>
public sealed class CliBadInputTests
{
    private static string Out() => Reports.TestReports.TempDir();

    [TestCase("--seed", "abc", "--seed: expected a whole number")]
    [TestCase("--parallel", "0", "--parallel: expected a whole number from 1 to 64")]
    [TestCase("--read-timeout", "soon", "--read-timeout: expected a duration")]
    [TestCase("--close-timeout", "10", "--close-timeout: expected a duration from 50ms")]
    [TestCase("--shard", "5/4", "--shard: expected k/n")]
    public async Task A_bad_argument_value_is_one_plain_message_and_exit_2(string option, string value, string message)
    {
        var o = await RunAsync("run", option, value, "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.Stderr, Does.Contain(message).And.Contain($"\"{value}\""), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_bad_variable_is_named_and_exit_2()
    {
        var o = await RunAsync(["run", "--out", Out()], new Dictionary<string, string> { ["CONFORMANCE_READ_TIMEOUT_MS"] = "fast" });
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.Stderr, Does.Contain("CONFORMANCE_READ_TIMEOUT_MS: expected a duration"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task An_unknown_option_is_named_and_exit_2()
    {
        var o = await RunAsync("run", "--fast");
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.Stderr, Does.Contain("--fast"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_misspelt_option_gets_the_nearest_one()
    {
        var o = await RunAsync("run", "--serer", "nginx");
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.Stderr, Does.Contain("unknown option --serer for `conformance run`; did you mean --server?"), o.ToString());
        Assert.That(o.Stderr, Does.Not.Contain("nginx"), "its value is not reported as a second problem");
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_duration_in_seconds_is_accepted()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var o = await RunAsync("run", "--target", $"http://127.0.0.1:{port}/", "--read-timeout", "1.5s", "--connect-timeout", "2s", "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness), "the bounds were taken and the target probed: " + o);
    }

    [Test]
    public async Task The_profile_is_checked_before_any_server_starts()
    {
        var profile = Path.Combine(Out(), "mine.json");
        File.WriteAllText(profile, "{\n  \"name\": \"mine\",\n  \"roles\": { \"echoo\": { \"path\": \"/echo\" } }\n}\n");
        var o = await RunAsync("run", "--server", "reference", "--profile", profile, "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.All, Does.Contain($"unknown role 'echoo' in {profile} line 3").And.Contain("did you mean 'echo'?"), o.ToString());
        Assert.That(o.All, Does.Not.Contain("starting").And.Not.Contain("Kestrel"), "no server was started for a profile that cannot be used");
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_malformed_profile_names_file_line_and_field_and_exit_2()
    {
        var profile = Path.Combine(Out(), "broken.json");
        File.WriteAllText(profile, "{\n  \"name\": \"broken\",\n  \"roles\": { \"existing\": { \"path\": 5 } }\n}\n");
        var o = await RunAsync("run", "--target", "http://127.0.0.1:9/", "--profile", profile, "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.All, Does.Contain($"{profile}:3").And.Contain("$.roles.existing.path").And.Contain("must be a string"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_malformed_fixture_names_file_and_line_and_exit_2()
    {
        // A repository of one broken fixture, found through CONFORMANCE_ROOT.
        var root = Out();
        File.WriteAllText(Path.Combine(root, "Conformance.sln"), "");
        Directory.CreateDirectory(Path.Combine(root, "fixtures", "cases"));
        Directory.CreateDirectory(Path.Combine(root, "fixtures", "targets"));
        File.WriteAllText(Path.Combine(root, "fixtures", "cases", "broken.cases"),
            "case: broken-case\narea: test\nrequirement: rfc9112-4-x\nlevel: OFTEN\ndoes: y\n");
        var o = await RunAsync(["run", "--target", "http://127.0.0.1:9/", "--out", Out()], new Dictionary<string, string> { ["CONFORMANCE_ROOT"] = root });
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.BadUsage), o.ToString());
        Assert.That(o.All, Does.Contain("fixtures/cases/broken.cases:4: [level]").And.Contain("OFTEN"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_refused_port_is_exit_3_with_the_reason()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var o = await RunAsync("run", "--target", $"http://127.0.0.1:{port}/", "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness), o.ToString());
        Assert.That(o.All, Does.Contain($"cannot reach 127.0.0.1:{port}: connection refused"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task An_unknown_host_is_exit_3_with_the_reason()
    {
        // .invalid never resolves (RFC 2606); without a resolver the connect bound ends the wait instead.
        var o = await RunAsync("run", "--target", "http://no-such-host.invalid:8080/", "--out", Out());
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness), o.ToString());
        Assert.That(o.All, Does.Contain("cannot reach no-such-host.invalid:8080: unknown host").Or.Contain("cannot reach no-such-host.invalid:8080: no connection within"), o.ToString());
        AssertNoStackTrace(o);
    }

    [Test]
    public async Task A_target_that_answers_with_random_bytes_is_run_every_case_fails_on_the_status_line_and_exit_1()
    {
        // It can be reached, so it is judged: each case shows what it got against the status-line grammar.
        await using var server = new Survival.HostileServer(Survival.Hostility.Garbage);
        var dir = Out();
        var o = await RunAsync("run", "--target", $"http://127.0.0.1:{server.Port}/", "--filter", "status-line", "--read-timeout", "500", "--out", dir);
        Assert.That(o.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), o.ToString());
        Assert.That(o.All, Does.Contain("answered GET /, but not with HTTP").And.Contain("first bytes were \"\\0"), o.ToString());
        Assert.That(o.All, Does.Not.Contain("Exception"), o.ToString());
        foreach (var file in new[] { JsonReport.FileName, JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName })
            Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(report.Run.Complete, Is.True, report.Run.Note);
        // Cases whose roles the generic profile lacks SKIP as usual; every case that ran fails on the grammar.
        var judged = report.Cases.Where(c => c.Verdict != "SKIP").ToList();
        Assert.That(judged, Is.Not.Empty);
        foreach (var c in judged)
        {
            Assert.That(c.Verdict, Is.EqualTo("FAIL"), c.Id);
            Assert.That(c.DecidedBy?.Rule, Is.EqualTo("status-line.http-name"), c.Id);
            Assert.That(c.DecidedBy?.Actual, Does.Contain("not an HTTP response, beginning \"\\0"), c.Id);
        }
    }
}
