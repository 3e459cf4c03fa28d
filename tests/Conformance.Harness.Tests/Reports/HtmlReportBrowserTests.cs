using Conformance.Harness.Reports;
using Conformance.Harness.Browser.Devtools;

namespace Conformance.Harness.Tests.Reports;

/// <summary>report.html in real Chromium, offline: it loads, filters, and never asks the network for anything.</summary>
[NonParallelizable]
public sealed class HtmlReportBrowserTests
{
    [Test]
    public async Task Loads_offline_filters_to_fail_and_screenshots()
    {
        if (!HtmlScreenshot.IsAvailable) Assert.Ignore($"{HtmlScreenshot.ChromiumPath} is missing: {HtmlScreenshot.InstallHint}");
        var report = TestReports.Mixed();
        var dir = TestReports.TempDir();
        var htmlPath = new HtmlReportWriter().Write(report, dir);

        await using var browser = await HtmlScreenshot.LaunchAsync();
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 1280, 900, ignoreCertificateErrors: false, TimeSpan.FromSeconds(30));
        var blocked = new List<string>();
        await HtmlScreenshot.BlockNetworkAsync(page, blocked);
        var pageErrors = new List<string>();
        page.Event += e =>
        {
            if (e.Method == "Runtime.exceptionThrown") lock (pageErrors) pageErrors.Add(e.Params.GetRawText());
        };
        await page.SendAsync("Runtime.enable");

        await page.GotoAsync(new Uri(htmlPath).AbsoluteUri);
        Assert.That(await VisibleAsync(page, "details.case"), Has.Count.EqualTo(report.Cases.Count));

        await ClickAsync(page, "#only-failing");
        var failing = report.Cases.Where(c => c.Verdict == "FAIL").Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var ids = (await VisibleAsync(page, "details.case")).Select(id => id[5..]).Order(StringComparer.Ordinal).ToList();
        Assert.That(ids, Is.EqualTo(failing));
        Assert.That((await page.EvaluateAsync("document.querySelector('#shown').innerText")).GetString(), Is.EqualTo(failing.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await ClickAsync(page, "#reset");
        await SelectAsync(page, "#area-filter", "header-block");
        await TypeAsync(page, "#text-filter", "error-one");
        Assert.That(await VisibleAsync(page, "details.case"), Has.Count.EqualTo(1));

        // Expanding a case shows its requirement link and a transcript with visible CR/LF.
        await ClickAsync(page, "#case-error-one > summary");
        Assert.That((await page.EvaluateAsync("document.querySelector('#case-error-one a.rfc').getAttribute('href')")).GetString(), Is.EqualTo("https://www.rfc-editor.org/rfc/rfc9112#section-4"));
        var marks = (await page.EvaluateAsync(
            "[...document.querySelectorAll('#case-error-one pre.wire .cr, #case-error-one pre.wire .lf')].map(e => getComputedStyle(e, '::before').content + ':' + Math.round(e.getBoundingClientRect().width))"))
            .EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.That(marks, Is.Not.Empty);
        Assert.That(marks.Select(m => m.Split(':')[0]).Distinct(), Is.EquivalentTo(new[] { "\"CR\"", "\"LF\"" }), "CR and LF are drawn from ASCII letters, so any font shows them");
        Assert.That(marks.Select(m => int.Parse(m.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThan(4), "every mark has a visible width");

        await File.WriteAllBytesAsync(Path.Combine(dir, HtmlScreenshot.FileName), await page.ScreenshotAsync());
        Assert.Multiple(() =>
        {
            Assert.That(blocked, Is.Empty, "the report tried to fetch: " + string.Join(", ", blocked));
            Assert.That(pageErrors, Is.Empty);
            Assert.That(new FileInfo(Path.Combine(dir, HtmlScreenshot.FileName)).Length, Is.GreaterThan(1000));
        });
    }

    [Test]
    public async Task The_network_guard_catches_a_fetch()
    {
        // Guards the guard: a page that does fetch must show up in the blocked list.
        if (!HtmlScreenshot.IsAvailable) Assert.Ignore($"{HtmlScreenshot.ChromiumPath} is missing: {HtmlScreenshot.InstallHint}");
        var dir = TestReports.TempDir();
        var path = Path.Combine(dir, "fetches.html");
        await File.WriteAllTextAsync(path, "<!DOCTYPE html><img src=\"http://example.invalid/x.png\">");
        await using var browser = await HtmlScreenshot.LaunchAsync();
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 800, 600, ignoreCertificateErrors: false, TimeSpan.FromSeconds(30));
        var blocked = new List<string>();
        await HtmlScreenshot.BlockNetworkAsync(page, blocked);
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        lock (blocked) Assert.That(blocked, Does.Contain("http://example.invalid/x.png"));
    }

    /// <summary>The ids of the elements matching <paramref name="selector"/> that the page shows (laid out, not display:none).</summary>
    private static async Task<List<string>> VisibleAsync(BrowserPage page, string selector) =>
        (await page.EvaluateAsync($"[...document.querySelectorAll({Js(selector)})].filter(e => e.checkVisibility()).map(e => e.id)"))
            .EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>A real mouse click (DevTools' Input domain) at the middle of the element, as a user clicks it.</summary>
    private static async Task ClickAsync(BrowserPage page, string selector)
    {
        var box = await page.EvaluateAsync($"(() => {{ const e = document.querySelector({Js(selector)}); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()");
        var (x, y) = (box[0].GetDouble(), box[1].GetDouble());
        foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
            await page.SendAsync("Input.dispatchMouseEvent", new { type, x, y, button = type == "mouseMoved" ? "none" : "left", clickCount = type == "mouseMoved" ? 0 : 1 });
    }

    /// <summary>Chooses an option and fires change, as a user's choice in a select does.</summary>
    private static Task SelectAsync(BrowserPage page, string selector, string value) =>
        page.EvaluateAsync($"(() => {{ const s = document.querySelector({Js(selector)}); s.value = {Js(value)}; s.dispatchEvent(new Event('input', {{bubbles: true}})); s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()");

    /// <summary>Focuses the field and types into it through DevTools' Input domain (an input event per insertion, as typing fires).</summary>
    private static async Task TypeAsync(BrowserPage page, string selector, string text)
    {
        await page.EvaluateAsync($"document.querySelector({Js(selector)}).focus()");
        await page.SendAsync("Input.insertText", new { text });
    }

    private static string Js(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [Test]
    public async Task CaptureAsync_writes_a_png()
    {
        if (!HtmlScreenshot.IsAvailable) Assert.Ignore($"{HtmlScreenshot.ChromiumPath} is missing: {HtmlScreenshot.InstallHint}");
        var dir = TestReports.TempDir();
        var html = new HtmlReportWriter().Write(TestReports.Mixed(), dir);
        var png = Path.Combine(dir, HtmlScreenshot.FileName);
        Assert.That(await HtmlScreenshot.CaptureAsync(html, png), Is.Null);
        var bytes = File.ReadAllBytes(png);
        Assert.That(bytes[1..4], Is.EqualTo("PNG"u8.ToArray()));
        // IHDR: width and height, big-endian, at bytes 16 and 20. The first screen, not the whole page.
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(HtmlScreenshot.Width));
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(HtmlScreenshot.Height));
    }
}
