using Conformance.Harness.Reports;
using Microsoft.Playwright;

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

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HtmlScreenshot.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var blocked = new List<string>();
        await HtmlScreenshot.BlockNetworkAsync(page, blocked);
        var pageErrors = new List<string>();
        page.PageError += (_, e) => pageErrors.Add(e);

        var response = await page.GotoAsync(new Uri(htmlPath).AbsoluteUri);
        Assert.That(response?.Ok ?? true, Is.True);
        Assert.That(await page.Locator("details.case:visible").CountAsync(), Is.EqualTo(report.Cases.Count));

        await page.ClickAsync("#only-failing");
        var failing = report.Cases.Where(c => c.Verdict == "FAIL").Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var visible = page.Locator("details.case:visible");
        Assert.That(await visible.CountAsync(), Is.EqualTo(failing.Count));
        var ids = (await visible.EvaluateAllAsync<string[]>("els => els.map(e => e.id.substring(5))")).Order(StringComparer.Ordinal).ToList();
        Assert.That(ids, Is.EqualTo(failing));
        Assert.That(await page.InnerTextAsync("#shown"), Is.EqualTo(failing.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await page.ClickAsync("#reset");
        await page.SelectOptionAsync("#area-filter", "header-block");
        await page.FillAsync("#text-filter", "error-one");
        Assert.That(await visible.CountAsync(), Is.EqualTo(1));

        // Expanding a case shows its requirement link and a transcript with visible CR/LF.
        await page.ClickAsync("#case-error-one > summary");
        Assert.That(await page.Locator("#case-error-one a.rfc").GetAttributeAsync("href"), Is.EqualTo("https://www.rfc-editor.org/rfc/rfc9112#section-4"));
        var marks = await page.Locator("#case-error-one pre.wire .cr, #case-error-one pre.wire .lf").EvaluateAllAsync<string[]>(
            "els => els.map(e => getComputedStyle(e, '::before').content + ':' + Math.round(e.getBoundingClientRect().width))");
        Assert.That(marks, Is.Not.Empty);
        Assert.That(marks.Select(m => m.Split(':')[0]).Distinct(), Is.EquivalentTo(new[] { "\"CR\"", "\"LF\"" }), "CR and LF are drawn from ASCII letters, so any font shows them");
        Assert.That(marks.Select(m => int.Parse(m.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThan(4), "every mark has a visible width");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, HtmlScreenshot.FileName), FullPage = true });
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
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HtmlScreenshot.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var blocked = new List<string>();
        await HtmlScreenshot.BlockNetworkAsync(page, blocked);
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        Assert.That(blocked, Does.Contain("http://example.invalid/x.png"));
    }

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
