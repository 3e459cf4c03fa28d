using Conformance.Harness.Browser.Devtools;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Browser;

/// <summary>
/// The one Chromium of a run, started once and shared by every browser case over one DevTools connection.
/// A run starts it before it loads the fixtures and starts the target (<see cref="Start"/>), because the
/// browser takes about as long to start as the whole raw catalog takes to run: begun first, that start
/// overlaps the run's own set-up instead of holding up the first browser case.
/// </summary>
public sealed class ChromiumLaunch(string chromiumPath) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private Task<ChromiumProcess?>? started;
    private ChromiumProcess? browser;

    public string ChromiumPath => chromiumPath;

    /// <summary>
    /// A name that this Chromium resolves to 127.0.0.1 and nothing else does (.test is reserved, RFC 6761 §6.2).
    /// Chromium treats http://127.0.0.1 and http://localhost as potentially trustworthy and sends Secure
    /// cookies to them over plain http (seen: the Secure cookie case failed against the reference target at
    /// 127.0.0.1 with the cookie on its http request). Under this name the same loopback server is an ordinary
    /// host, whose http is insecure, as a deployed server's would be.
    /// </summary>
    public const string LoopbackAlias = "loopback.conformance.test";

    /// <summary>The launch flag that maps <see cref="LoopbackAlias"/>; it changes nothing for any other host.</summary>
    public const string LoopbackAliasRule = "--host-resolver-rules=MAP " + LoopbackAlias + " 127.0.0.1";

    /// <summary>Why Chromium did not start, once <see cref="BrowserAsync"/> returned null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Starts Chromium in the background unless it has started; returns at once.</summary>
    public void Start() => _ = BrowserAsync();

    /// <summary>The browser, started on the first call; every caller awaits the same start. Null when it could not start.</summary>
    public Task<ChromiumProcess?> BrowserAsync()
    {
        lock (gate) return started ??= Task.Run(LaunchAsync);
    }

    private async Task<ChromiumProcess?> LaunchAsync()
    {
        try
        {
            browser = await HtmlScreenshot.LaunchAsync(chromiumPath, [LoopbackAliasRule]).ConfigureAwait(false);
            return browser;
        }
        catch (Exception e) when (e is DevtoolsException or InvalidOperationException or IOException)
        {
            // No browser, or a browser that exits at once: the browser cases ERROR with this reason.
            Failure = $"Chromium at {chromiumPath} did not start: {BrowserProbe.FirstLine(e.Message)}";
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ChromiumProcess?>? start;
        lock (gate) start = started;
        // A start still under way is waited for, so no browser process outlives the run.
        if (start is not null) await start.ConfigureAwait(false);
        if (browser is not null) await browser.DisposeAsync().ConfigureAwait(false);
        browser = null;
    }
}
