using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>
/// An exception the harness did not expect while running one case is a harness bug, not a verdict on the
/// server: that case becomes an ERROR naming the exception, and the run goes on so every report is written.
/// </summary>
public static class HarnessFault
{
    public const string Rule = "harness-exception";

    /// <summary>The ERROR result for <paramref name="case"/>, naming the exception and where it was thrown.</summary>
    public static CaseResult ErrorFor(ConformanceCase @case, Exception exception, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(exception);
        var named = $"{exception.GetType().FullName}: {exception.Message}";
        // The top frames say where the harness broke, which is what a bug report needs; the rest is noise.
        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3);
        return new CaseResult
        {
            Case = @case,
            Verdict = Verdict.Error,
            Reason = $"the harness failed on this case (a harness bug, not a verdict on the server): {named}",
            Findings =
            [
                new Finding
                {
                    Verdict = Verdict.Error,
                    Kind = FindingKind.Harness,
                    Rule = Rule,
                    Detail = string.Join("\n  ", [named, .. frames]),
                    Location = @case.Location,
                },
            ],
            Connections = [],
            Observed = [],
            StartedAt = startedAt,
            Duration = DateTimeOffset.UtcNow - startedAt,
        };
    }

    /// <summary>
    /// Runs one case and turns an unexpected exception into its ERROR. Cancellation by the run's own token is
    /// not a fault: it still ends the case as interrupted.
    /// </summary>
    public static async Task<CaseResult> GuardAsync(ConformanceCase @case, Func<Task<CaseResult>> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = DateTimeOffset.UtcNow;
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            return ErrorFor(@case, e, started);
        }
    }
}
