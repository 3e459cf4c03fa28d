using System.Diagnostics;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Browser.Devtools;

namespace Conformance.Harness.Browser;

/// <summary>Where Chromium is and where screenshots go.</summary>
public sealed record BrowserOptions
{
    /// <summary>The Chromium executable (CONFORMANCE_CHROMIUM / --chromium): the system's, never a downloaded one.</summary>
    public string ChromiumPath { get; init; } = HtmlScreenshot.ChromiumPath;

    /// <summary>The run folder; screenshots go to its <see cref="ScreenshotFolder"/> subfolder. Null: no screenshots.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Bound on every navigation and page action: a server that never answers ends the case, not the run.</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Browser cases run at once, each in its own context of the one Chromium.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>
    /// Three per core, at least 2 and at most 8. A browser case mostly waits (its renderer's start, a
    /// navigation, the server's answer), so running several at once hides those waits; each holds one renderer
    /// and at most 6 connections to the target, so a cap keeps the target and a small machine from being
    /// flooded. Three per core lets the catalog's five runnable cases all start at once on two cores (at two
    /// per core, the fifth waited for a slot and ran alone at the end, about 0.4 s after the others).
    /// </summary>
    public static int DefaultParallelism => Math.Clamp(Environment.ProcessorCount * 3, 2, 8);

    public const string ScreenshotFolder = "browser";
}

/// <summary>
/// Runs browser cases in one Chromium (<see cref="ChromiumLaunch"/>: the run's, started early, or its own,
/// launched on first use), shared by the run; each case gets a fresh
/// browser context (its own cookie jar and cache), so cases cannot see each other's state. Up to
/// <see cref="BrowserOptions.Parallelism"/> cases run at once: one at a time, five cases cost five times
/// their page loads and made the browser area the run's long pole.
/// </summary>
public sealed class BrowserRunner(Target target, RunSettings settings, BrowserOptions options, ChromiumLaunch? sharedLaunch = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(Math.Max(1, options.Parallelism), Math.Max(1, options.Parallelism));

    /// <summary>The run's Chromium when it gave one (it disposes it), else this runner's own.</summary>
    private readonly ChromiumLaunch launch = sharedLaunch ?? new ChromiumLaunch(options.ChromiumPath);

    public BrowserOptions Options => options;

    /// <summary>Why browser cases SKIP on this machine, or null when Chromium is there.</summary>
    public static string? Unavailable(string chromiumPath) => File.Exists(chromiumPath)
        ? null
        : $"Chromium is not installed at {chromiumPath}: install it ({HtmlScreenshot.InstallHint}) or point --chromium / CONFORMANCE_CHROMIUM at its executable";

    public async Task<CaseResult> RunAsync(BrowserCase @case, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        CaseResult Done(Verdict verdict, string? reason, IReadOnlyList<Finding>? findings = null, IReadOnlyList<ConnectionTranscript>? connections = null,
            IReadOnlyList<string>? observed = null, string? screenshot = null) => new()
        {
            Case = @case.Case,
            Verdict = verdict,
            Reason = reason,
            Findings = findings ?? [],
            Connections = connections ?? [],
            Observed = observed ?? [],
            StartedAt = started,
            Duration = clock.Elapsed,
            Screenshot = screenshot,
        };

        foreach (var role in @case.Case.NeededRoles)
        {
            if (!target.Profile.HasRole(role)) return Done(Verdict.Skip, target.Profile.RoleMissing(role)) with { MissingRole = role };
        }
        if (Unavailable(options.ChromiumPath) is { } missing) return Done(Verdict.Skip, missing);
        if (BrowserProbes.CannotRun(@case, target) is { } cannot) return Done(Verdict.Skip, cannot);

        try
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Done(Verdict.Error, "the run was cancelled before this case started");
        }
        try
        {
            // The case's time starts when it gets its page slot: waiting for another case is not its duration.
            started = DateTimeOffset.UtcNow;
            clock.Restart();
            if (await launch.BrowserAsync().ConfigureAwait(false) is null) return Done(Verdict.Error, launch.Failure);
            // An https target's certificate was judged by the run's own probe (system store, --ca, or --insecure);
            // Chromium knows nothing of --ca, so it is told to accept the certificate the run has already judged.
            var page = await launch.OpenPageAsync(target.IsHttps, options.ActionTimeout, ct).ConfigureAwait(false);
            await using (page.ConfigureAwait(false))
            {
                var probe = new BrowserProbe(@case, target, settings.Seed, page);
                try
                {
                    ct.ThrowIfCancellationRequested();
                    await BrowserProbes.RunAsync(probe).ConfigureAwait(false);
                }
                catch (CaseSkippedException e)
                {
                    probe.SkipReason = e.Message;
                }
                catch (TimeoutException e)
                {
                    probe.ErrorReason = $"the browser did not finish within {options.ActionTimeout.TotalSeconds:0} s: {BrowserProbe.FirstLine(e.Message)}";
                }
                catch (DevtoolsException e)
                {
                    probe.ErrorReason = $"the browser failed: {BrowserProbe.FirstLine(e.Message)}";
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    probe.ErrorReason = "the run was cancelled before this case finished";
                }

                var screenshot = await ScreenshotAsync(page, @case.Id).ConfigureAwait(false);
                var transcript = page.Log.ToTranscript();
                if (screenshot.Failure is { } why) probe.Note("screenshot", why);
                var findings = probe.Findings;
                if (probe.ErrorReason is { } error)
                    return Done(findings.Any(f => f.Verdict == Verdict.Fail) ? Verdict.Fail : Verdict.Error, error, findings, [transcript], probe.Observed, screenshot.Path);
                if (probe.SkipReason is { } skip) return Done(Verdict.Skip, skip, findings, [transcript], probe.Observed, screenshot.Path);
                var verdict = findings.Select(f => f.Verdict).DefaultIfEmpty(Verdict.Pass).Max();
                return Done(verdict, null, findings, [transcript], probe.Observed, screenshot.Path);
            }
        }
        catch (Exception e) when (e is DevtoolsException or TimeoutException)
        {
            return Done(Verdict.Error, $"the browser failed: {BrowserProbe.FirstLine(e.Message)}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Done(Verdict.Error, "the run was cancelled before this case finished");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Saves &lt;run&gt;/browser/&lt;id&gt;.png. Returns its path relative to the run folder, or why there is none.</summary>
    private async Task<(string? Path, string? Failure)> ScreenshotAsync(BrowserPage page, string id)
    {
        if (options.RunDirectory is not { } run) return (null, null);
        var relative = $"{BrowserOptions.ScreenshotFolder}/{id}.png";
        try
        {
            Directory.CreateDirectory(Path.Combine(run, BrowserOptions.ScreenshotFolder));
            await File.WriteAllBytesAsync(Path.Combine(run, relative), await page.ScreenshotAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return (relative, null);
        }
        catch (Exception e) when (e is DevtoolsException or FormatException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            return (null, $"no screenshot: {BrowserProbe.FirstLine(e.Message)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sharedLaunch is null) await launch.DisposeAsync().ConfigureAwait(false);
    }
}
