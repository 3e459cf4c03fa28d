using Microsoft.Playwright;

namespace Conformance.Harness.Reports;

/// <summary>
/// A PNG of report.html taken in the system's Chromium (Playwright cannot download browsers here), for
/// people who read reports in a ticket or chat. Optional: absent Chromium means no screenshot, not a failure.
/// </summary>
public static class HtmlScreenshot
{
    /// <summary>
    /// Debian's chromium-headless-shell: Chromium's own headless embedder (the same Blink, network service,
    /// cookie store and HTTP cache as the browser) without the browser's user interface. Playwright drives
    /// this build by default in headless mode.
    /// </summary>
    public const string HeadlessShellPath = "/usr/lib/chromium/chromium-headless-shell";

    /// <summary>
    /// Debian's full Chromium. Since Chromium 132 its --headless mode is the whole browser without a screen:
    /// every page Playwright opens is a browser window that loads its own address-bar WebUI pages (two
    /// "top-chrome" renderers per window, seen as chrome://omnibox-popup.top-chrome/ targets), so a browser
    /// case costs about three times the CPU it costs in the headless shell. Used when the shell is not installed.
    /// </summary>
    public const string FullBrowserPath = "/usr/bin/chromium";

    /// <summary>The Chromium used unless --chromium / CONFORMANCE_CHROMIUM says otherwise (see <see cref="DefaultChromium"/>).</summary>
    public static string ChromiumPath => DefaultChromium(File.Exists);

    /// <summary>The headless shell when it is installed, else the full browser (whether or not that is installed: the SKIP reason names it).</summary>
    public static string DefaultChromium(Func<string, bool> installed) => installed(HeadlessShellPath) ? HeadlessShellPath : FullBrowserPath;

    /// <summary>What to install for the default Chromium, for messages.</summary>
    public const string InstallHint = "apt-get install chromium-headless-shell, or chromium";
    public const string FileName = "report.png";

    /// <summary>
    /// report.png is the first screen only, the size of a laptop window: the certificate, the charts and the
    /// start of the FAIL list. A full-page capture of a 350-case report was 1200×13000 pixels, useless as a
    /// thumbnail in a ticket or chat; the whole report is report.html.
    /// </summary>
    public const int Width = 1280;
    public const int Height = 900;

    /// <summary>Flags that keep Chromium from touching the network on its own (updates, sync, QUIC probes).</summary>
    public static readonly IReadOnlyList<string> OfflineArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static bool IsAvailable => File.Exists(ChromiumPath);

    /// <param name="executablePath">The Chromium to start (the browser cases' --chromium); default <see cref="ChromiumPath"/>.</param>
    /// <param name="extraArgs">Flags the browser cases add to <see cref="OfflineArgs"/>.</param>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string? executablePath = null, IEnumerable<string>? extraArgs = null) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = executablePath ?? ChromiumPath,
        Headless = true,
        Args = [.. OfflineArgs, .. extraArgs ?? []],
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

    /// <summary>Saves the report's first screen (<see cref="Width"/>×<see cref="Height"/>). Returns null on success, or why it was skipped.</summary>
    public static async Task<string?> CaptureAsync(string htmlPath, string pngPath, string? chromiumPath = null)
    {
        var chromium = chromiumPath ?? ChromiumPath;
        if (!File.Exists(chromium)) return $"no screenshot: {chromium} is missing ({InstallHint})";
        using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        await using var browser = await LaunchAsync(playwright, chromium).ConfigureAwait(false);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = Width, Height = Height } }).ConfigureAwait(false);
        var blocked = new List<string>();
        await BlockNetworkAsync(page, blocked).ConfigureAwait(false);
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri).ConfigureAwait(false);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = pngPath, FullPage = false }).ConfigureAwait(false);
        return null;
    }
}
