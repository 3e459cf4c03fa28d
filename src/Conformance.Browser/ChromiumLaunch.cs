using Conformance.Harness.Browser.Devtools;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Browser;

/// <summary>
/// The one Chromium of a run, started once and shared by every browser case over one DevTools connection.
/// A run starts it before it loads the fixtures and starts the target (<see cref="Start"/>), because the
/// browser takes about as long to start as the whole raw catalog takes to run: begun first, that start
/// overlaps the run's own set-up instead of holding up the first browser case.
/// </summary>
/// <param name="chromiumPath">The Chromium to start.</param>
/// <param name="warmPages">
/// Pages opened as soon as the browser is up, each in a fresh context of its own, for the first cases to take
/// (<see cref="OpenPageAsync"/>). A page's renderer takes about 0.2 s of CPU to start; opened while the run is
/// still loading fixtures and starting its target (one core mostly idle), that start no longer competes with
/// the raw cases. A page nobody takes is closed with the browser.
/// </param>
public sealed class ChromiumLaunch(string chromiumPath, int warmPages = 0) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<Task<BrowserPage?>> warm = new();
    private Task<ChromiumProcess?>? started;
    private ChromiumProcess? browser;

    /// <summary>Every case's page is this size (CSS pixels): a screenshot the width of a report column.</summary>
    public const int PageWidth = 900;
    public const int PageHeight = 600;

    /// <summary>The bound on opening a warm page; a case's own commands get its action timeout when it takes the page.</summary>
    private static readonly TimeSpan WarmTimeout = TimeSpan.FromSeconds(30);

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
            lock (gate)
            {
                for (var i = 0; i < warmPages; i++) warm.Enqueue(OpenWarmAsync(browser));
            }
            return browser;
        }
        catch (Exception e) when (e is DevtoolsException or InvalidOperationException or IOException)
        {
            // No browser, or a browser that exits at once: the browser cases ERROR with this reason.
            Failure = $"Chromium at {chromiumPath} did not start: {BrowserProbe.FirstLine(e.Message)}";
            return null;
        }
    }

    /// <summary>A fresh page, or null when it could not be opened (the case then opens its own and reports why).</summary>
    private static async Task<BrowserPage?> OpenWarmAsync(ChromiumProcess b)
    {
        try
        {
            return await BrowserPage.OpenAsync(b.Connection, PageWidth, PageHeight, ignoreCertificateErrors: false, WarmTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DevtoolsException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// A page for one case, alone in a fresh context: a warm one while any is left, else a new one. Throws
    /// <see cref="DevtoolsException"/> with <see cref="Failure"/> when the browser did not start.
    /// </summary>
    public async Task<BrowserPage> OpenPageAsync(bool ignoreCertificateErrors, TimeSpan timeout, CancellationToken ct)
    {
        var b = await BrowserAsync().ConfigureAwait(false) ?? throw new DevtoolsException(Failure ?? "Chromium did not start");
        while (true)
        {
            Task<BrowserPage?>? next;
            lock (gate) next = warm.Count > 0 ? warm.Dequeue() : null;
            if (next is null) break;
            if (await next.ConfigureAwait(false) is not { } page) continue;
            page.Take(timeout);
            if (ignoreCertificateErrors) await page.AcceptAnyCertificateAsync().ConfigureAwait(false);
            return page;
        }
        return await BrowserPage.OpenAsync(b.Connection, PageWidth, PageHeight, ignoreCertificateErrors, timeout, ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Task<ChromiumProcess?>? start;
        lock (gate) start = started;
        // A start still under way is waited for, so no browser process outlives the run.
        if (start is not null) await start.ConfigureAwait(false);
        List<Task<BrowserPage?>> unused;
        lock (gate)
        {
            unused = [.. warm];
            warm.Clear();
        }
        foreach (var page in unused)
        {
            if (await page.ConfigureAwait(false) is { } p) await p.DisposeAsync().ConfigureAwait(false);
        }
        if (browser is not null) await browser.DisposeAsync().ConfigureAwait(false);
        browser = null;
    }
}
