using Conformance.Harness.Fixtures;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// The order cases start in: longest possible wait first (pauses, expected timeouts, and the waits a
/// misbehaving server would cost, such as a close that does not come), as in longest-processing-time-first
/// scheduling. Their waits then overlap with the quick cases instead of trailing at the end of the run, so
/// the wall time approaches the longest case rather than the sum of the tail. On a server that behaves,
/// the cases whose wait it would not cost finish at once and free their worker. Only the start order
/// changes; results keep input order.
/// </summary>
public static class CaseSchedule
{
    /// <summary>
    /// How long a case can wait: <see cref="Likely"/> it spends in any case (pauses, expected timeouts),
    /// <see cref="Possible"/> it spends only when the server does not do what the case expects.
    /// </summary>
    public sealed record WaitEstimate(TimeSpan Likely, TimeSpan Possible);

    /// <summary>Indices into <paramref name="cases"/>, the longest possible wait first, then the longest certain wait; ties keep input order.</summary>
    public static IReadOnlyList<int> LongestWaitFirst(IReadOnlyList<ConformanceCase> cases, WireOptions wire)
    {
        var estimates = cases.Select(c => Estimate(c, wire)).ToList();
        return Enumerable.Range(0, cases.Count)
            .OrderByDescending(i => estimates[i].Likely + estimates[i].Possible)
            .ThenByDescending(i => estimates[i].Likely)
            .ThenBy(i => i)
            .ToList();
    }

    /// <summary>
    /// Depends on the case alone, so the schedule is the same every run. It only orders the start, so it
    /// need not be exact.
    /// </summary>
    public static WaitEstimate Estimate(ConformanceCase @case, WireOptions wire)
    {
        var likely = TimeSpan.Zero;
        var possible = TimeSpan.Zero;
        foreach (var step in @case.Steps)
        {
            switch (step)
            {
                case PauseStep pause:
                    likely += pause.Duration;
                    break;
                case ExpectStep expect:
                    // An accepted timeout is waited out on every run (its "within" bound, else the read
                    // timeout); a timeout judged WARN/FAIL costs the read timeout only on a server that hangs.
                    if (expect.Outcomes.Match(ObservedKind.Timeout, null) is { } timeout)
                    {
                        if (timeout.Verdict == Model.Verdict.Pass) likely += StepBound.For(expect) is { } w && w < wire.ReadTimeout ? w : wire.ReadTimeout;
                        else possible += wire.ReadTimeout;
                    }
                    if (expect.Assertions.OfType<ConnectionAssertion>().Any(a => a.State == ConnectionState.Closed))
                        possible += wire.CloseTimeout;
                    break;
            }
        }
        return new WaitEstimate(likely, possible);
    }
}
