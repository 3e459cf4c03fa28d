using System.Diagnostics;
using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Spectre.Console;

namespace Conformance.Harness.Reports;

/// <summary>
/// Progress of a run on the console. On a terminal: one live line with the total, a bar, the FAIL and WARN
/// counts so far and an estimate of the time left (Spectre.Console). In a CI log: a plain line at each
/// quarter, never a redraw. --verbose adds one line per finished case; --quiet shows nothing.
/// </summary>
public sealed class RunProgress
{
    private readonly IAnsiConsole console;
    private readonly ConsoleDetail detail;
    private readonly bool live;
    private readonly Lock gate = new();
    private readonly Stopwatch clock = new();
    private ProgressTask? task;
    private int total;
    private int done;
    private int failed;
    private int warned;
    private int nextQuarter = 1;

    public RunProgress(IAnsiConsole console, ConsoleDetail detail)
    {
        this.console = console;
        this.detail = detail;
        live = detail != ConsoleDetail.Quiet && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    }

    /// <summary>Runs <paramref name="body"/> with the live display on a terminal, or as it is elsewhere.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        clock.Start();
        if (!live) return await body().ConfigureAwait(false);
        return await console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                lock (gate) task = ctx.AddTask("starting", autoStart: true, maxValue: Math.Max(1, total));
                if (total == 0) task.IsIndeterminate = true;
                return await body().ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>The number of cases the run will judge, once they are selected.</summary>
    public void Start(int cases)
    {
        lock (gate)
        {
            total = cases;
            if (task is null) return;
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, cases);
            task.Description = Description();
        }
    }

    /// <summary>A shortcut for <see cref="Start(int)"/> from the opened session: raw and browser cases.</summary>
    public void Start(RunSession session) => Start(session.Cases.Count + session.BrowserCases.Count);

    public void OnCaseDone(CaseResult result)
    {
        string? plain = null;
        lock (gate)
        {
            done++;
            if (result.Verdict == Verdict.Fail) failed++;
            if (result.Verdict == Verdict.Warn) warned++;
            if (task is not null)
            {
                task.Increment(1);
                task.Description = Description();
            }
            else if (detail == ConsoleDetail.Normal && total > 0 && done * 4 >= total * nextQuarter && done < total)
            {
                // A CI log gets a few plain lines, each complete on its own: no carriage returns to garble it.
                while (done * 4 >= total * nextQuarter) nextQuarter++;
                plain = PlainLine();
            }
        }
        if (plain is not null) console.WriteLine(plain);
        if (detail == ConsoleDetail.Verbose)
        {
            var colour = result.Verdict switch { Verdict.Pass => "green", Verdict.Fail => "red", Verdict.Warn => "yellow", Verdict.Error => "magenta", Verdict.Info => "blue", _ => "grey" };
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{colour}]{result.Verdict.ToLabel(),-5}[/] {Markup.Escape(result.Case.Id)} [grey]{result.Duration.TotalMilliseconds:0} ms{(result.Reason is { } r ? " — " + Markup.Escape(r) : "")}[/]"));
        }
    }

    /// <summary>"120 of 353 cases, 2 FAIL, 5 WARN, about 3 s left".</summary>
    public string PlainLine()
    {
        lock (gate) return $"  {Description()}{Estimate()}";
    }

    private string Description() => string.Create(CultureInfo.InvariantCulture,
        $"{done} of {total} cases{(failed > 0 ? $", {failed} FAIL" : "")}{(warned > 0 ? $", {warned} WARN" : "")}");

    private string Estimate()
    {
        if (done == 0 || done >= total) return "";
        var left = clock.Elapsed.TotalSeconds / done * (total - done);
        return string.Create(CultureInfo.InvariantCulture, $", about {Math.Max(1, Math.Ceiling(left)):0} s left");
    }
}
