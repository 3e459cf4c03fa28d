using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>
/// Runs many cases with bounded parallelism: a fixed number of workers, each running one case at a time on
/// its own connection(s), so the target never sees more than <see cref="RunSettings.Parallelism"/> cases at
/// once. Cases start longest-wait first (<see cref="CaseSchedule"/>); results come back in the order of the
/// input, whatever order they finished in, so reports are stable. An exception in one case is that case's
/// ERROR (<see cref="HarnessFault"/>): the other cases still run and every report is still written.
/// </summary>
public sealed class SuiteRunner(Target target, RunSettings settings, NamedCheckRegistry checks)
{
    public async Task<SuiteOutcome> RunAsync(IReadOnlyList<ConformanceCase> cases, Action<CaseResult>? onCaseDone, CancellationToken cancellationToken)
    {
        var runner = new CaseRunner(target, settings, checks);
        var results = new CaseResult?[cases.Count];
        var order = CaseSchedule.LongestWaitFirst(cases, settings.Wire);
        var next = -1;

        async Task WorkAsync()
        {
            // Each worker takes the next case in schedule order until none is left or the run is cancelled.
            while (!cancellationToken.IsCancellationRequested)
            {
                var slot = Interlocked.Increment(ref next);
                if (slot >= order.Count) return;
                var i = order[slot];
                CaseResult result;
                try
                {
                    result = await HarnessFault.GuardAsync(cases[i], () => runner.RunAsync(cases[i], cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                // A case cut short by Ctrl-C did not run: leaving it out marks the run incomplete instead of
                // reporting an ERROR the server never caused.
                if (cancellationToken.IsCancellationRequested && result.Verdict == Verdict.Error) return;
                results[i] = result;
                onCaseDone?.Invoke(result);
            }
        }

        var workers = Enumerable.Range(0, Math.Min(Math.Clamp(settings.Parallelism, 1, RunSettings.MaxParallelism), Math.Max(cases.Count, 1)))
            .Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var done = results.OfType<CaseResult>().ToList();
        return new SuiteOutcome(done, Complete: done.Count == cases.Count);
    }
}

/// <summary>The results of a run; <see cref="Complete"/> is false when it was interrupted.</summary>
public sealed record SuiteOutcome(IReadOnlyList<CaseResult> Results, bool Complete);
