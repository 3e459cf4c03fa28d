using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// No target can hang or crash the harness: against each hostile behaviour a case ends within its
/// bound with FAIL or ERROR and a reason, and what it keeps of the response stays under the caps.
/// </summary>
public sealed class SurvivalTests
{
    private static readonly WireOptions Bounds = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(1),
        ReadTimeout = TimeSpan.FromMilliseconds(400),
        ResponseDeadline = TimeSpan.FromSeconds(1),
        CloseTimeout = TimeSpan.FromMilliseconds(400),
        MaxHeadBytes = 64 * 1024,
        MaxBodyBytes = 256 * 1024,
    };

    private static RunSettings Settings => Fast with { Wire = Bounds };

    /// <summary>A case's bound: connect + the response deadline + the close wait, with room for a loaded machine.</summary>
    private static readonly TimeSpan CaseBound = TimeSpan.FromSeconds(5);

    [TestCase(Hostility.NeverAnswers, "timeout")]
    [TestCase(Hostility.EndlessBody, "200")]
    [TestCase(Hostility.EndlessHeaders, "200")]
    // The head trickles for longer than the response deadline: a timeout, not a head without its empty line.
    [TestCase(Hostility.Trickle, "timeout")]
    [TestCase(Hostility.Garbage, "not-http")]
    [TestCase(Hostility.ResetMidResponse, "200")]
    [TestCase(Hostility.AcceptAndClose, "close")]
    [TestCase(Hostility.TenMegabytesOfHeaders, "200")]
    public async Task A_case_ends_within_its_bound_with_a_reason(Hostility hostility, string observed)
    {
        await using var server = new HostileServer(hostility);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await RunAsync(Header() + Get() + "expect: 200\n  connection: open\n", server.Port, settings: Settings);
        started.Stop();

        Assert.That(started.Elapsed, Is.LessThan(CaseBound), $"{hostility} held the case for {started.Elapsed}");
        if (hostility == Hostility.EndlessBody)
        {
            // A valid 200 that announces its close and streams forever: the kept bytes are judged, the cut is
            // marked, and the connection it said it would close is not expected to persist.
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
            Assert.That(result.Findings.Select(f => f.Rule), Does.Contain("body-over-cap"), Explain(result));
        }
        else
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail).Or.EqualTo(Verdict.Error), Explain(result));
            var explanations = result.Findings.Where(f => f.Verdict >= Verdict.Fail).Select(f => f.ToString()).Append(result.Reason ?? "");
            Assert.That(explanations, Has.Some.Length.GreaterThan(30), "every failure explains itself");
        }
        if (hostility == Hostility.AcceptAndClose && result.Verdict == Verdict.Error)
        {
            // The reset can reach the client while it is still connecting: then it is a connect error, with the reason.
            Assert.That(result.Reason, Does.Contain("reset").IgnoreCase, Explain(result));
        }
        else
        {
            Assert.That(result.Observed.FirstOrDefault(), Is.EqualTo(observed), Explain(result));
        }
        // What the case keeps of the response is bounded by the caps, however much the server sent.
        var received = result.Connections.SelectMany(c => c.Entries).Where(e => e.Direction == Direction.Received).Sum(e => (long)e.Bytes.Length);
        Assert.That(received, Is.LessThanOrEqualTo(Bounds.MaxHeadBytes + Bounds.MaxBodyBytes + 2 * 65536),
            $"{hostility}: kept {received} bytes of the {server.BytesWritten} the server wrote");
    }

    [Test]
    public async Task Ten_megabytes_of_headers_are_cut_and_the_case_is_an_error_never_a_pass()
    {
        await using var server = new HostileServer(Hostility.TenMegabytesOfHeaders);
        var result = await RunAsync(Header() + Get() + "expect: 200\n", server.Port, settings: Settings);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), Explain(result));
        Assert.That(result.Reason, Does.Contain("cap of 65536 bytes"));
        Assert.That(result.Findings.Select(f => f.Rule), Does.Contain("head-over-cap"));
    }

    [Test]
    public async Task A_whole_run_against_a_server_that_never_answers_finishes_and_reports()
    {
        await using var server = new HostileServer(Hostility.NeverAnswers);
        var root = RepoPaths.Root();
        var cases = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases.Take(16).ToList();
        var target = new Target(new Uri($"http://127.0.0.1:{server.Port}/"), FaultProfile());
        var runner = new SuiteRunner(target, Settings with { Parallelism = 8 }, NamedCheckRegistry.Default);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await runner.RunAsync(cases, null, CancellationToken.None);
        Assert.That(outcome.Complete, Is.True);
        Assert.That(outcome.Results, Has.Count.EqualTo(cases.Count));
        Assert.That(outcome.Results.Select(r => r.Verdict), Has.All.Not.EqualTo(Verdict.Pass));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "16 cases, 8 at a time, each bounded");
    }

    [Test]
    public async Task Cancelling_a_run_keeps_what_finished_and_marks_the_rest_missing()
    {
        await using var server = new HostileServer(Hostility.NeverAnswers);
        var root = RepoPaths.Root();
        // Cases the fault profile can run (a case whose role it lacks SKIPs at once and would never be cut off).
        var cases = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases
            .Where(c => c.NeededRoles.All(r => r is Roles.Existing or Roles.Missing or Roles.Echo)).Take(8).ToList();
        var target = new Target(new Uri($"http://127.0.0.1:{server.Port}/"), FaultProfile());
        var runner = new SuiteRunner(target, Settings with { Parallelism = 2 }, NamedCheckRegistry.Default);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var outcome = await runner.RunAsync(cases, null, cancel.Token);
        Assert.That(outcome.Complete, Is.False, "an interrupted run says so");
        Assert.That(outcome.Results, Has.Count.LessThan(cases.Count));
    }
}
