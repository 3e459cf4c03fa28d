using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary>
/// The run as a person sees it on the console: a live progress line on a terminal (a few plain lines in a CI
/// log), then the end screen with the verdict last. --quiet keeps only the verdict; --verbose adds every case.
/// </summary>
internal sealed class ConsoleRunView(IAnsiConsole console, ConsoleDetail detail) : IRunProgress
{
    private readonly RunProgress progress = new(console, detail);

    public Task<T> RunAsync<T>(Func<Task<T>> body) => progress.RunAsync(body);

    public void Start(RunSession session) => progress.Start(session);

    public void OnCaseDone(CaseResult result) => progress.OnCaseDone(result);

    public void Finish()
    {
    }

    public void Summarise(RunReport report, string? reportDirectory, GateOutcome gate)
        => ConsoleSummary.Write(console, report, reportDirectory, gate, detail);
}
