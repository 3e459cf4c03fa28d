using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Behaviours.BehaviourServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// "carries-earlier N Expires" compares freshness, not clock readings: a 304 whose Date and Expires are
/// both one second later than the 200's carries the same Expires (the case flipped whenever the two
/// responses straddled a second boundary); a different lifetime is still a FAIL.
/// </summary>
public sealed class RelativeExpiryTests
{
    private const string Fixture = "expect: 200\nsend:\n```\nGET /v HTTP/1.1\nHost: {host}\n\n```\nexpect: 304\n  check: carries-earlier 1 Expires\n";

    private static async Task<Harness.Engine.CaseResult> RunWith304Expires(string expires)
    {
        await using var server = Start();
        // Both requests look alike, so the server answers by arrival order.
        var answered = 0;
        server.Map("/v", _ => Interlocked.Increment(ref answered) == 1
            ? new FaultResponse { Raw = Raw("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nExpires: Sun, 06 Nov 1994 08:50:37 GMT\r\nContent-Length: 2\r\n\r\nok") }
            : new FaultResponse { Raw = Raw($"HTTP/1.1 304 Not Modified\r\nDate: Sun, 06 Nov 1994 08:49:38 GMT\r\nExpires: {expires}\r\n\r\n") });
        return await RunAsync(Header() + Get("/v") + Fixture, server.Port);
    }

    [Test]
    public async Task An_expires_one_second_later_with_a_date_one_second_later_is_the_same_expires()
    {
        var result = await RunWith304Expires("Sun, 06 Nov 1994 08:50:38 GMT");
        Assert.That(Failing(result), Does.Not.Contain("carries-earlier"), Explain(result));
    }

    [Test]
    public async Task An_expires_with_another_lifetime_is_still_a_fail()
    {
        var result = await RunWith304Expires("Sun, 06 Nov 1994 08:59:38 GMT");
        Assert.That(Failing(result), Does.Contain("carries-earlier"), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
    }
}
