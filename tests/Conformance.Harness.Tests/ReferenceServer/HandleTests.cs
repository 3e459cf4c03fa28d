using NUnit.Framework;
using System.Net.Sockets;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class HandleTests
{
    [Test]
    public async Task Start_on_port_zero_binds_a_free_port_and_reports_it()
    {
        await using var server = await ReferenceServerApp.StartAsync();
        Assert.Multiple(() =>
        {
            Assert.That(server.Port, Is.InRange(1, 65535));
            Assert.That(server.BaseUri, Is.EqualTo(new Uri($"http://127.0.0.1:{server.Port}/")));
            Assert.That(server.ServerIdentity, Does.Match(@"^Kestrel \(ASP\.NET Core 10\.\d+\.\d+.*\), Conformance\.ReferenceServer \d+\.\d+\.\d+"));
        });
        var reply = RawConnection.Exchange(server.Port, RawConnection.Request("GET", "/"));
        Assert.That(reply.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Dispose_closes_the_listener_and_is_idempotent()
    {
        var server = await ReferenceServerApp.StartAsync();
        var port = server.Port;
        await server.StopAsync();
        await server.DisposeAsync();
        await server.DisposeAsync();
        Assert.That(() => new RawConnection(port).Dispose(),
            Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<SocketException>());
    }

    [Test]
    public async Task Two_servers_run_side_by_side_on_distinct_ports()
    {
        await using var a = await ReferenceServerApp.StartAsync();
        await using var b = await ReferenceServerApp.StartAsync();
        Assert.That(a.Port, Is.Not.EqualTo(b.Port));
    }
}
