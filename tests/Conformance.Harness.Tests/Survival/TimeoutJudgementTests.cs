using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.Behaviours;
using Conformance.Harness.Tests.FaultServer;
using Conformance.ReferenceServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// A wait the suite imposed and cut is a timeout, named as one, never a grammar or framing violation; and a
/// slow but correct server gets the verdicts of a fast one.
/// </summary>
public sealed class TimeoutJudgementTests
{
    [Test]
    public async Task A_body_cut_by_the_read_bound_is_a_timeout_not_an_incomplete_message()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        // Ten of twenty content bytes, then nothing: the server neither finishes nor closes.
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 20\r\n\r\n0123456789") });
        var result = await RunAsync(Header() + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Findings.Select(f => f.Rule), Has.None.EqualTo("framing.incomplete").And.Contains(CaseRunner.TimeoutRule), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == CaseRunner.TimeoutRule).Detail, Does.Contain("cut by the suite's own bound"));
    }

    [Test]
    public async Task A_body_cut_by_the_read_bound_is_not_judged_by_content_checks()
    {
        // A cookie checker's "recognised" that a slow server had sent only "recogni" of when the bound ran out.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 15\r\n\r\nrecogni") });
        var result = await RunAsync(Header() + Get() + "expect: 200\n  body: contains recognised\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Contains.Item(CaseRunner.TimeoutRule));
        Assert.That(result.Findings.Any(f => f.Verdict >= Verdict.Warn && (f.Detail ?? f.Actual ?? "").Contains("recogni", StringComparison.Ordinal)), Is.False, Explain(result));

        // The same bytes, then the server's close: the content really is short, and the check judges it.
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 7\r\n\r\nrecogni"), CloseAfterRaw = true });
        var closed = await RunAsync(Header() + Get() + "expect: 200\n  body: contains recognised\n", server.Port);
        Assert.That(closed.Verdict, Is.EqualTo(Verdict.Fail), Explain(closed));
    }

    [Test]
    public async Task A_head_cut_by_the_read_bound_is_a_timeout_of_the_suite_not_the_servers_no_answer()
    {
        // A slow 304 whose head the bound cut after 20 bytes was judged by "expect: 304 | timeout FAIL" as the
        // server's timeout. It is the suite's: ERROR, named, and no outcome finding.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = "HTTP/1.1 304 Not Mod"u8.ToArray() });
        var result = await RunAsync(Header() + Get() + "expect: 304 | timeout FAIL\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Contains.Item(CaseRunner.TimeoutRule).And.No.EqualTo("outcome"), Explain(result));

        // Nothing at all within the bound is the server's own timeout, judged by the set.
        server.Map("/", _ => new FaultResponse { Raw = [] });
        var silent = await RunAsync(Header() + Get() + "expect: 304 | timeout FAIL\n", server.Port);
        Assert.That(silent.Verdict, Is.EqualTo(Verdict.Fail), Explain(silent));
    }

    [Test]
    public async Task A_body_the_server_ends_short_is_still_an_incomplete_message()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 20\r\n\r\n0123456789"), CloseAfterRaw = true });
        var result = await RunAsync(Header() + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("framing.incomplete"));
    }

    [Test]
    public async Task A_head_cut_by_the_read_bound_is_observed_as_a_timeout_not_a_head_without_its_empty_line()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Le") });
        var result = await RunAsync(Header() + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Observed, Is.EqualTo(new[] { "timeout" }), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Has.None.EqualTo("head.empty-line").And.None.EqualTo("field.name-token"), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == CaseRunner.TimeoutRule).Actual, Does.Contain("bytes of a response head had arrived"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), "the suite's own bound cut it: never the server's timeout");

        // The same bytes, then the server's close: that head really ends without its empty line.
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 0\r\n"), CloseAfterRaw = true });
        var closed = await RunAsync(Header() + Get() + "expect: 200\n", server.Port);
        Assert.That(Failing(closed), Does.Contain("head.empty-line"), Explain(closed));
    }

    [Test]
    public async Task A_reset_after_a_complete_close_delimited_4xx_is_not_an_incomplete_message()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse
        {
            Raw = BehaviourServer.Raw("HTTP/1.1 400 Bad Request\r\nDate: {date}\r\nConnection: close\r\n\r\nheader field too large"),
            ResetAfterRaw = TimeSpan.FromMilliseconds(150),
        });
        var result = await RunAsync(Header() + Get() + "expect: 400\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Connections[0].Entries.Select(e => e.Note ?? ""), Has.Some.Contains("reset"), "the reset did happen");

        // A reset before a Content-Length body is complete is still incomplete framing.
        server.Map("/", _ => new FaultResponse
        {
            Raw = BehaviourServer.Raw("HTTP/1.1 400 Bad Request\r\nDate: {date}\r\nContent-Length: 40\r\nConnection: close\r\n\r\nheader field too large"),
            ResetAfterRaw = TimeSpan.FromMilliseconds(150),
        });
        var cut = await RunAsync(Header() + Get() + "expect: 400\n", server.Port);
        Assert.That(Failing(cut), Does.Contain("framing.incomplete"), Explain(cut));
    }

    [Test]
    public async Task A_short_step_bound_proves_only_that_nothing_starts_to_arrive()
    {
        // The answer starts at once but trickles for about a second: longer than the step's 300 ms.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        await using var relay = new TrickleRelay(server.Port, TimeSpan.FromSeconds(1));
        var result = await RunAsync(Header() + Get() + "expect: timeout | 200 within 300ms\n", relay.Port, settings: Fast with { Wire = Fast.Wire with { ReadTimeout = TimeSpan.FromSeconds(2), ResponseDeadline = TimeSpan.FromSeconds(5) } });
        Assert.That(result.Observed, Is.EqualTo(new[] { "200" }), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public async Task A_liveness_connect_cut_by_the_connect_bound_is_a_timeout_while_a_refused_one_is_a_dead_server()
    {
        var @case = Parse(Header() + Get() + "expect: 200\n");
        var wire = Fast.Wire with { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        // A listener that never accepts, its backlog full: further connects are neither accepted nor refused.
        using var stalled = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        stalled.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        stalled.Listen(1);
        var port = ((System.Net.IPEndPoint)stalled.LocalEndPoint!).Port;
        var fillers = new List<System.Net.Sockets.Socket>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var filler = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try { await filler.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), quick.Token); }
                catch (OperationCanceledException) { break; }
            }
            var slow = await LivenessProbe.RunAsync(new Target(new Uri($"http://127.0.0.1:{port}/"), FaultProfile()), wire, @case, CancellationToken.None);
            Assert.That((slow.Finding?.Rule, slow.Finding?.Verdict), Is.EqualTo(((string?)"timeout", (Verdict?)Verdict.Error)), slow.Finding?.ToString());
        }
        finally
        {
            foreach (var f in fillers) f.Dispose();
        }

        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var refusedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dead = await LivenessProbe.RunAsync(new Target(new Uri($"http://127.0.0.1:{refusedPort}/"), FaultProfile()), wire, @case, CancellationToken.None);
        Assert.That((dead.Finding?.Rule, dead.Finding?.Verdict), Is.EqualTo(((string?)LivenessProbe.Rule, (Verdict?)Verdict.Fail)), dead.Finding?.ToString());
    }

    /// <summary>
    /// A representative slice of the catalog (every area; single and several steps; pipelining; steps with a
    /// short bound; request-side cases with liveness): the reference server directly, then through a relay
    /// that spreads each of its responses over about 3 s.
    /// </summary>
    private static IReadOnlyList<ConformanceCase> Slice()
    {
        var root = RepoPaths.Root();
        var all = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases;
        var withinBound = all.Where(c => c.Steps.OfType<ExpectStep>().Any(s => s.Within is not null)).Take(6);
        var severalSteps = all.Where(c => c.Steps.OfType<ExpectStep>().Count() >= 3).Take(4);
        var onePerArea = all.GroupBy(c => c.Area).Select(g => g.First());
        return [.. onePerArea.Concat(withinBound).Concat(severalSteps).DistinctBy(c => c.Id)];
    }

    [Test]
    public async Task A_slow_correct_server_gets_no_failure_or_error_that_the_fast_one_does_not()
    {
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var reference = await ReferenceServerApp.StartAsync(0, start.Token);
        await using var relay = new TrickleRelay(reference.Port, TimeSpan.FromSeconds(3));
        var profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"));
        var cases = Slice();
        var settings = new RunSettings { Seed = 20261121, Parallelism = 16 };

        async Task<Dictionary<string, CaseResult>> RunAll(int port)
        {
            var target = new Target(new Uri($"http://127.0.0.1:{port}/"), profile);
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var outcome = await new SuiteRunner(target, settings, NamedCheckRegistry.Default).RunAsync(cases, null, bound.Token);
            return outcome.Results.ToDictionary(r => r.Case.Id, StringComparer.Ordinal);
        }

        var direct = await RunAll(reference.Port);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slow = await RunAll(relay.Port);
        clock.Stop();

        Assert.That(slow.Keys, Is.EquivalentTo(direct.Keys));
        static bool Bad(CaseResult r) => r.Verdict is Verdict.Fail or Verdict.Error;
        var worse = slow.Values.Where(s => Bad(s) && !Bad(direct[s.Case.Id])).Select(s => $"{s.Case.Id}: {Explain(s)}").ToList();
        Assert.That(worse, Is.Empty, $"{cases.Count} cases, slow run {clock.Elapsed.TotalSeconds:0} s");
        var slowRules = slow.Values.SelectMany(r => r.Findings).Where(f => f.Verdict >= Verdict.Fail).Select(f => f.Rule);
        Assert.That(slowRules, Has.None.EqualTo("head.empty-line").And.None.EqualTo("framing.incomplete").And.None.EqualTo(CaseRunner.TimeoutRule));
    }
}
