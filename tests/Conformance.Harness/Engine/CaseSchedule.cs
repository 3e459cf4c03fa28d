using Conformance.Harness.Fixtures;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// The order cases start in. Cases that may have to wait out a bound (a pause, an expected timeout, a wait
/// for the server to close) start first, so their waits overlap with the quick cases instead of trailing
/// at the end of the run: the wall time then approaches the longest case rather than the sum of the tail.
/// Only the start order changes; results are reported in input order.
/// </summary>
public static class CaseSchedule
{
    /// <summary>Indices into <paramref name="cases"/>, the longest possible wait first; ties keep input order.</summary>
    public static IReadOnlyList<int> LongestWaitFirst(IReadOnlyList<ConformanceCase> cases, WireOptions wire)
        => Enumerable.Range(0, cases.Count).OrderByDescending(i => PossibleWait(cases[i], wire)).ThenBy(i => i).ToList();

    /// <summary>
    /// An upper estimate of the time the case can spend waiting on purpose. It only orders the schedule, so
    /// it need not be exact; it must depend on the case alone so the schedule is the same every run.
    /// </summary>
    public static TimeSpan PossibleWait(ConformanceCase @case, WireOptions wire)
    {
        var wait = TimeSpan.Zero;
        foreach (var step in @case.Steps)
        {
            switch (step)
            {
                case PauseStep pause:
                    wait += pause.Duration;
                    break;
                case ExpectStep expect:
                    // "within Nms" bounds this step's read; otherwise an expected timeout costs the read timeout.
                    if (expect.Outcomes.Alternatives.Any(a => a.Pattern.Kind == ObservedKind.Timeout))
                        wait += expect.Within is { } within && within < wire.ReadTimeout ? within : wire.ReadTimeout;
                    if (expect.Assertions.OfType<ConnectionAssertion>().Any(a => a.State == ConnectionState.Closed)) wait += wire.CloseTimeout;
                    break;
            }
        }
        return wait;
    }
}
