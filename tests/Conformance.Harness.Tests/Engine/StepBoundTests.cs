using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Model;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// "within Nms" shortens a step's read only where a timeout is what the step accepts. A slow answer to a
/// step that expects an answer is judged as the answer, never as a server that hangs (a false, flipping FAIL
/// on a loaded machine).
/// </summary>
public sealed class StepBoundTests
{
    /// <summary>Answers every request with a 400, after a delay: the delay is the stimulus (a slow server).</summary>
    private sealed class SlowServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public SlowServer(TimeSpan delay)
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            loop = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        using var socket = await listener.AcceptSocketAsync(stop.Token);
                        var buffer = new byte[4096];
                        await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                        await Task.Delay(delay, stop.Token);
                        await socket.SendAsync("HTTP/1.1 400 Bad Request\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None, stop.Token);
                        socket.Shutdown(SocketShutdown.Both);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // Stopped by the test.
                }
            });
        }

        public int Port { get; }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await loop;
            stop.Dispose();
        }
    }

    private static readonly Conformance.Harness.Engine.RunSettings Patient = Fast with { Wire = Fast.Wire with { ReadTimeout = TimeSpan.FromSeconds(5), ResponseDeadline = TimeSpan.FromSeconds(5) } };

    [Test]
    public async Task A_slow_answer_to_a_step_that_expects_an_answer_is_judged_as_that_answer()
    {
        await using var server = new SlowServer(TimeSpan.FromMilliseconds(600));
        var result = await RunAsync(Header() + Get() + "expect: 400 | timeout FAIL within 100ms\n", server.Port, settings: Patient);
        Assert.That(result.Observed, Is.EqualTo(new[] { "400" }), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public async Task Where_a_timeout_is_accepted_the_short_bound_proves_nothing_arrived()
    {
        await using var server = new SlowServer(TimeSpan.FromSeconds(3));
        var result = await RunAsync(Header() + Get() + "expect: timeout | 400 FAIL within 100ms\n", server.Port, settings: Patient);
        Assert.That(result.Observed, Is.EqualTo(new[] { "timeout" }), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }
}
