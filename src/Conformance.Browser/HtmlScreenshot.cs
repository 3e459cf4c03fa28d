using Conformance.Harness.Browser.Devtools;

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
    public static Task<ChromiumProcess> LaunchAsync(string? executablePath = null, IEnumerable<string>? extraArgs = null) =>
        ChromiumProcess.StartAsync(executablePath ?? ChromiumPath, [.. OfflineArgs, .. extraArgs ?? []]);

    /// <summary>
    /// Fails every request of <paramref name="page"/> that is not for a local file, and records it in
    /// <paramref name="blocked"/>: report.html must show everything from its own bytes.
    /// </summary>
    public static async Task BlockNetworkAsync(BrowserPage page, ICollection<string> blocked)
    {
        page.Event += e =>
        {
            if (e.Method != "Fetch.requestPaused") return;
            var id = e.Params.GetProperty("requestId").GetString();
            var url = e.Params.GetProperty("request").GetProperty("url").GetString() ?? "";
            var local = url.StartsWith("file://", StringComparison.Ordinal);
            if (!local)
            {
                lock (blocked) blocked.Add(url);
            }
            // Answered off the receive loop, which must not wait for its own replies.
            _ = Task.Run(async () =>
            {
                try
                {
                    if (local) await page.SendAsync("Fetch.continueRequest", new { requestId = id }).ConfigureAwait(false);
                    else await page.SendAsync("Fetch.failRequest", new { requestId = id, errorReason = "BlockedByClient" }).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is DevtoolsException or TimeoutException)
                {
                    // The page is gone: the request went with it.
                }
            });
        };
        await page.SendAsync("Fetch.enable", new { patterns = new[] { new { urlPattern = "*" } } }).ConfigureAwait(false);
    }

    /// <summary>Saves the report's first screen (<see cref="Width"/>×<see cref="Height"/>). Returns null on success, or why it was skipped.</summary>
    public static async Task<string?> CaptureAsync(string htmlPath, string pngPath, string? chromiumPath = null)
    {
        var chromium = chromiumPath ?? ChromiumPath;
        if (!File.Exists(chromium)) return $"no screenshot: {chromium} is missing ({InstallHint})";
        try
        {
            await using var browser = await LaunchAsync(chromium).ConfigureAwait(false);
            await using var page = await BrowserPage.OpenAsync(browser.Connection, Width, Height, ignoreCertificateErrors: false, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await BlockNetworkAsync(page, new List<string>()).ConfigureAwait(false);
            await page.GotoAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri).ConfigureAwait(false);
            await File.WriteAllBytesAsync(pngPath, await page.ScreenshotAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is DevtoolsException or NavigationFailedException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            // The reports are written already; a screenshot that fails is reported, not thrown.
            return $"no screenshot: {e.Message}";
        }
    }
}
