using NUnit.Framework;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.ReferenceServer;

/// <summary>One in-process reference server per fixture: cheap to start, and fixtures stay independent.</summary>
public abstract class ReferenceServerTestBase
{
    private ReferenceServerHandle? _server;

    protected ReferenceServerHandle Server => _server ?? throw new InvalidOperationException("the server did not start");

    protected int Port => Server.Port;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _server = await ReferenceServerApp.StartAsync(0, cts.Token);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    internal RawReply Send(string request, bool bodiless = false) => RawConnection.Exchange(Port, request, bodiless);

    internal RawReply Get(string path, params string[] fields) => Send(RawConnection.Request("GET", path, fields));

    internal RawReply Head(string path, params string[] fields) => Send(RawConnection.Request("HEAD", path, fields), bodiless: true);
}
