using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Conformance.ReferenceServer.Roles;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Conformance.ReferenceServer;

/// <summary>
/// Starts the reference target in-process: Kestrel on 127.0.0.1 with every role fixtures/targets/reference.json names.
/// Kestrel's own limits and defaults are left alone on purpose: they are part of "what Kestrel does".
/// </summary>
public static class ReferenceServerApp
{
    /// <summary>Starts Kestrel on 127.0.0.1:<paramref name="port"/> (0 = any free port) and returns once it listens.</summary>
    /// <param name="logFile">
    /// Where the host's warnings and errors go (Kestrel's "bad request" complaints included), one line each.
    /// Null: nowhere, unless <paramref name="logToConsole"/> (the standalone server) asks for the console.
    /// An in-process host never writes to the console: the suite's own output is there.
    /// </param>
    /// <param name="certificate">
    /// With a certificate (--tls) the main listener on <paramref name="port"/> serves HTTPS with it, and a second,
    /// plain-HTTP listener on a free port serves the same roles (<see cref="ReferenceServerHandle.PlainBaseUri"/>),
    /// so a browser case can see what a client sends over http after https. Kestrel's HTTPS defaults are left alone.
    /// </param>
    public static async Task<ReferenceServerHandle> StartAsync(int port = 0, CancellationToken ct = default, string? logFile = null, bool logToConsole = false,
        X509Certificate2? certificate = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The content root is the build output, so an appsettings.json in whatever directory a test run
            // happens to start from cannot change the server's behaviour.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });

        // Warnings only: per-request information would drown the few entries worth reading.
        builder.Logging.ClearProviders();
        if (logFile is not null) builder.Logging.AddProvider(new FileLogProvider(logFile));
        if (logToConsole) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // In-process hosts (test runners, the CLI) own Ctrl-C and SIGTERM; the console lifetime would steal them.
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        // Bound teardown: an idle keep-alive connection left by a test must not hold StopAsync for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(o =>
        {
            if (certificate is null)
            {
                o.Listen(IPAddress.Loopback, port);
                return;
            }
            o.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            o.Listen(IPAddress.Loopback, 0);
        });

        var app = builder.Build();
        MapRoles(app);

        await app.StartAsync(ct).ConfigureAwait(false);

        // Port 0 means the OS chose; Kestrel reports the address it really bound here.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var scheme = certificate is null ? "http" : "https";
        var address = addresses?.FirstOrDefault(a => a.StartsWith(scheme + "://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("Kestrel started but reported no bound address.");
        var bound = new Uri(address).Port;
        var plain = certificate is null ? null : addresses!.Select(a => new Uri(a)).FirstOrDefault(a => a.Scheme == "http");
        return new ReferenceServerHandle(app, bound, ServerIdentity, scheme, plain is null ? null : new Uri($"http://127.0.0.1:{plain.Port}/"));
    }

    /// <summary>
    /// Applies the server-wide method policy and maps every role (fixtures/targets/reference.json) onto
    /// <paramref name="app"/>. Public so that the same application can run behind another HTTP/1.1 wire layer
    /// than Kestrel (the harness tests' strict origin server) and answer every role exactly as the reference does.
    /// </summary>
    public static void MapRoles(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(MethodPolicy.Middleware);
        StaticResources.Map(app);
        Conditional.Map(app);
        Redirects.Map(app);
        Cookies.Map(app);
        Echo.Map(app);
        Ranges.Map(app);
        Negotiated.Map(app);
        Writable.Map(app);
        Roles.Missing.Map(app);
    }

    /// <summary>Names the server build a report certifies: Kestrel's version and this project's.</summary>
    public static string ServerIdentity { get; } =
        $"Kestrel (ASP.NET Core {VersionOf(typeof(KestrelServerOptions).Assembly)}), Conformance.ReferenceServer {VersionOf(typeof(ReferenceServerApp).Assembly)}";

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        // "10.0.1+abcdef": the source hash is noise in a certification summary.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? informational[..plus] : informational;
    }

    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A running reference server. Dispose (or stop) it to close the listener and its connections.</summary>
public sealed class ReferenceServerHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    internal ReferenceServerHandle(WebApplication app, int port, string serverIdentity, string scheme = "http", Uri? plainBaseUri = null)
    {
        _app = app;
        Port = port;
        ServerIdentity = serverIdentity;
        BaseUri = new Uri($"{scheme}://127.0.0.1:{port}/");
        PlainBaseUri = plainBaseUri;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT/, or https:// with a certificate (with the trailing slash, so relative role paths resolve under it).</summary>
    public Uri BaseUri { get; }

    /// <summary>With a certificate: the plain-HTTP listener of the same server; otherwise null.</summary>
    public Uri? PlainBaseUri { get; }

    public string ServerIdentity { get; }

    /// <summary>Stops the listener and waits (bounded) for in-flight requests. Safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _app.StopAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
