using Microsoft.Playwright;

namespace Conformance.Harness.Reports;

/// <summary>
/// A PNG of report.html taken in the system's Chromium (Playwright cannot download browsers here), for
/// people who read reports in a ticket or chat. Optional: absent Chromium means no screenshot, not a failure.
/// </summary>
public static class HtmlScreenshot
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string FileName = "report.png";

    /// <summary>Flags that keep Chromium from touching the network on its own (updates, sync, QUIC probes).</summary>
    public static readonly IReadOnlyList<string> OfflineArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static bool IsAvailable => File.Exists(ChromiumPath);

    /// <param name="executablePath">The Chromium to start (the browser cases' --chromium); default <see cref="ChromiumPath"/>.</param>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string? executablePath = null) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = executablePath ?? ChromiumPath,
        Headless = true,
        Args = OfflineArgs,
    });

    /// <summary>Blocks every request that is not for a local file and records it in <paramref name="blocked"/>.</summary>
    public static Task BlockNetworkAsync(IPage page, ICollection<string> blocked) => page.RouteAsync("**/*", async route =>
    {
        if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal))
        {
            await route.ContinueAsync().ConfigureAwait(false);
            return;
        }
        lock (blocked) blocked.Add(route.Request.Url);
        await route.AbortAsync().ConfigureAwait(false);
    });

    /// <summary>Saves a full-page screenshot of the report. Returns null on success, or why it was skipped.</summary>
    public static async Task<string?> CaptureAsync(string htmlPath, string pngPath, string? chromiumPath = null)
    {
        var chromium = chromiumPath ?? ChromiumPath;
        if (!File.Exists(chromium)) return $"no screenshot: {chromium} is missing (apt-get install chromium)";
        using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        await using var browser = await LaunchAsync(playwright, chromium).ConfigureAwait(false);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } }).ConfigureAwait(false);
        var blocked = new List<string>();
        await BlockNetworkAsync(page, blocked).ConfigureAwait(false);
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri).ConfigureAwait(false);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = pngPath, FullPage = true }).ConfigureAwait(false);
        return null;
    }
}
