using Conformance.ReferenceServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// The strict origin with every role of the reference target: the reference application
/// (<see cref="ReferenceServerApp.MapRoles"/>, so fixtures/targets/reference.json fits it unchanged) behind
/// <see cref="StrictOriginServer"/> instead of Kestrel. What differs between the two targets is only the HTTP/1.1
/// wire layer, which is what the suite judges.
/// </summary>
public sealed class StrictOriginHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private readonly StrictOriginServer server;

    private StrictOriginHost(WebApplication app, StrictOriginServer server)
    {
        this.app = app;
        this.server = server;
    }

    public int Port => server.Port;

    /// <summary>Every exception that ended a connection unexpectedly (a bug of the strict server); empty when it is correct.</summary>
    public IReadOnlyCollection<Exception> Faults => server.Faults;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public static async Task<StrictOriginHost> StartAsync(StrictOriginOptions? options = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        var server = new StrictOriginServer(options ?? StrictOriginOptions.Strict);
        // Registered after the builder's own (Kestrel) server, so this one is the IServer the host resolves and starts.
        builder.Services.AddSingleton<IServer>(server);
        // The test runner owns Ctrl-C and SIGTERM; the console lifetime would take them.
        builder.Services.AddSingleton<IHostLifetime, TestLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        ReferenceServerApp.MapRoles(app);
        await app.StartAsync(ct).ConfigureAwait(false);
        return new StrictOriginHost(app, server);
    }

    private sealed class TestLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
