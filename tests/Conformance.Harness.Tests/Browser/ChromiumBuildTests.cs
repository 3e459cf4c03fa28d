using System.Text.Json;
using Conformance.Harness.Reports;
using Conformance.Harness.Browser.Devtools;

namespace Conformance.Harness.Tests.Browser;

/// <summary>
/// Which Chromium the browser cases start, and why it matters: in Debian's full browser every page a client
/// opens is a browser window that loads its own address-bar WebUI pages (two extra renderers per case), which
/// made the five browser cases cost about three times the CPU they cost in the headless shell.
/// </summary>
[NonParallelizable]
public sealed class ChromiumBuildTests
{
    [Test]
    public void The_default_is_the_headless_shell_when_installed_else_the_full_browser()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HtmlScreenshot.DefaultChromium(_ => true), Is.EqualTo(HtmlScreenshot.HeadlessShellPath));
            Assert.That(HtmlScreenshot.DefaultChromium(p => p == HtmlScreenshot.FullBrowserPath), Is.EqualTo(HtmlScreenshot.FullBrowserPath));
            // Neither installed: the full browser's path, which the SKIP reason then names.
            Assert.That(HtmlScreenshot.DefaultChromium(_ => false), Is.EqualTo(HtmlScreenshot.FullBrowserPath));
            Assert.That(HtmlScreenshot.ChromiumPath, Is.EqualTo(File.Exists(HtmlScreenshot.HeadlessShellPath) ? HtmlScreenshot.HeadlessShellPath : HtmlScreenshot.FullBrowserPath));
        });
    }

    /// <summary>
    /// Launched as the browser cases launch it (<see cref="HtmlScreenshot.LaunchAsync"/>), the default Chromium runs
    /// only the case's own page: no browser-UI target beside it. The same probe on the full browser finds the UI
    /// pages, so it can tell the two apart (and would catch the default sliding back to the full browser).
    /// </summary>
    [TestCase(HtmlScreenshot.HeadlessShellPath, false)]
    [TestCase(HtmlScreenshot.FullBrowserPath, true)]
    public async Task A_context_runs_only_its_own_page_in_the_headless_shell(string build, bool browserUiExpected)
    {
        if (!File.Exists(build)) Assert.Ignore($"{build} is not installed");
        await using var browser = await HtmlScreenshot.LaunchAsync(build);
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 900, 600, ignoreCertificateErrors: false, TimeSpan.FromSeconds(30));
        await page.GotoAsync("about:blank");
        var targets = await TargetsAsync(browser.Connection);
        var others = targets.Where(t => t.Type != "page").Select(t => $"{t.Type} {t.Url}").ToList();
        if (browserUiExpected)
        {
            Assert.That(others, Has.Some.StartsWith("browser_ui "), "the full browser opens UI pages beside the case's page");
        }
        else
        {
            Assert.Multiple(() =>
            {
                Assert.That(others, Is.Empty, "no target beside the case's page");
                Assert.That(targets.Count(t => t.Type == "page"), Is.EqualTo(1));
            });
        }
    }

    private static async Task<IReadOnlyList<(string Type, string Url)>> TargetsAsync(DevtoolsConnection connection)
    {
        var reply = await connection.SendAsync("Target.getTargets", null, null, TimeSpan.FromSeconds(10));
        if (!reply.TryGetProperty("targetInfos", out var infos) || infos.ValueKind != JsonValueKind.Array)
            throw new AssertionException($"Target.getTargets answered {reply}");
        return infos.EnumerateArray().Select(t => (t.GetProperty("type").GetString() ?? "", t.GetProperty("url").GetString() ?? "")).ToList();
    }
}
