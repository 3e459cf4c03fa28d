using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Browser;

/// <summary>One Chromium per fixture, a fresh context per case (as in a run), screenshots in a temp folder.</summary>
public abstract class BrowserTestBase
{
    private readonly List<BrowserRunner> runners = [];

    protected string RunDirectory { get; private set; } = "";

    [OneTimeSetUp]
    public void RequireChromium()
    {
        if (!HtmlScreenshot.IsAvailable) Assert.Ignore($"{HtmlScreenshot.ChromiumPath} is missing: {HtmlScreenshot.InstallHint}");
        RunDirectory = TestReports.TempDir();
    }

    [OneTimeTearDown]
    public async Task CloseBrowsers()
    {
        foreach (var r in runners) await r.DisposeAsync();
    }

    /// <summary>A runner disposed with the fixture (disposing twice is harmless).</summary>
    protected BrowserRunner Runner(int port, TargetProfile profile, int seed = 7, int? parallelism = null, string? chromium = null, TimeSpan? actionTimeout = null)
        => Runner(new Target(new Uri($"http://127.0.0.1:{port}/"), profile), seed, parallelism, chromium, actionTimeout);

    /// <summary>A runner for any target (an https one, with or without its plain-http twin).</summary>
    protected BrowserRunner Runner(Target target, int seed = 7, int? parallelism = null, string? chromium = null, TimeSpan? actionTimeout = null)
    {
        var runner = new BrowserRunner(target, new RunSettings { Seed = seed },
            new BrowserOptions
            {
                RunDirectory = RunDirectory,
                ActionTimeout = actionTimeout ?? TimeSpan.FromSeconds(10),
                Parallelism = parallelism ?? BrowserOptions.DefaultParallelism,
                ChromiumPath = chromium ?? HtmlScreenshot.ChromiumPath,
            });
        runners.Add(runner);
        return runner;
    }

    protected static async Task<CaseResult> RunAsync(BrowserRunner runner, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await runner.RunAsync(BrowserCatalog.Find(id) ?? throw new ArgumentException(id), timeout.Token);
    }

    protected static string Explain(CaseResult result)
        => $"{result.Verdict.ToLabel()} {result.Reason}\n" + string.Join("\n", result.Findings.Select(f => f.ToString()))
            + "\n" + string.Join("\n", result.Connections.SelectMany(c => c.Entries).Select(e => $"{e.Direction} {System.Text.Encoding.UTF8.GetString(e.Bytes)} ({e.Note})"));

    protected static IEnumerable<string> Failing(CaseResult result, Verdict verdict = Verdict.Fail)
        => result.Findings.Where(f => f.Verdict == verdict).Select(f => f.Rule);
}
