using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>
/// Runs many cases with bounded parallelism, each on its own connection(s). Results come back in the
/// order of the input, whatever order they finished in, so reports are stable.
/// </summary>
public sealed class SuiteRunner(Target target, RunSettings settings, NamedCheckRegistry checks)
{
    public async Task<SuiteOutcome> RunAsync(IReadOnlyList<ConformanceCase> cases, Action<CaseResult>? onCaseDone, CancellationToken cancellationToken)
    {
        var runner = new CaseRunner(target, settings, checks);
        var results = new CaseResult?[cases.Count];
        using var gate = new SemaphoreSlim(Math.Clamp(settings.Parallelism, 1, RunSettings.MaxParallelism));
        var tasks = cases.Select(async (c, i) =>
        {
            try
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var result = await runner.RunAsync(c, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested && result.Verdict == Verdict.Error) return;
                results[i] = result;
                onCaseDone?.Invoke(result);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var done = results.OfType<CaseResult>().ToList();
        return new SuiteOutcome(done, Complete: done.Count == cases.Count);
    }
}

/// <summary>The results of a run; <see cref="Complete"/> is false when it was interrupted.</summary>
public sealed record SuiteOutcome(IReadOnlyList<CaseResult> Results, bool Complete);
