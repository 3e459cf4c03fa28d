using Conformance.Harness.Reports;
using Microsoft.Playwright;

namespace Conformance.Harness.Browser;

/// <summary>
/// The one Chromium of a run: the Playwright driver and the browser, started once and shared by every browser
/// case. A run starts it before it loads the fixtures and starts the target (<see cref="Start"/>), because the
/// driver and the browser take about as long to start as the whole raw catalog takes to run: begun first, that
/// start overlaps the run's own set-up instead of holding up the first browser case.
/// </summary>
public sealed class ChromiumLaunch(string chromiumPath) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private Task<IBrowser?>? started;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public string ChromiumPath => chromiumPath;

    /// <summary>Why Chromium did not start, once <see cref="BrowserAsync"/> returned null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Starts Chromium in the background unless it has started; returns at once.</summary>
    public void Start() => _ = BrowserAsync();

    /// <summary>The browser, started on the first call; every caller awaits the same start. Null when it could not start.</summary>
    public Task<IBrowser?> BrowserAsync()
    {
        lock (gate) return started ??= Task.Run(LaunchAsync);
    }

    private async Task<IBrowser?> LaunchAsync()
    {
        try
        {
            playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            browser = await HtmlScreenshot.LaunchAsync(playwright, chromiumPath).ConfigureAwait(false);
            return browser;
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // No driver, no browser, or a browser that exits at once: the browser cases ERROR with this reason.
            Failure = $"Chromium at {chromiumPath} did not start: {BrowserProbe.FirstLine(e.Message)}";
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IBrowser?>? start;
        lock (gate) start = started;
        // A start still under way is waited for, so no driver or browser process outlives the run.
        if (start is not null) await start.ConfigureAwait(false);
        if (browser is not null) await browser.DisposeAsync().ConfigureAwait(false);
        browser = null;
        playwright?.Dispose();
        playwright = null;
    }
}
