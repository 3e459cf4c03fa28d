using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>
/// When a step's "within Nms" bound applies. A short bound proves "nothing arrives" quickly, and that is
/// sound only where nothing arriving is what the step accepts (a timeout that earns PASS): a late answer
/// then costs nothing worse than the same verdict. Where a timeout is judged WARN or FAIL, the expected
/// outcome is an answer, and on a loaded machine (or behind a slow proxy) an answer can take longer than
/// 500 ms; judging it at the short bound turned slowness into a false, flipping FAIL. Those steps wait the
/// general read timeout instead: a server that really hangs still gets its verdict, only later.
/// </summary>
public static class StepBound
{
    /// <summary>The bound the step's read should use, or null for the connection's general bounds.</summary>
    public static TimeSpan? For(ExpectStep expect)
        => expect.Within is { } within && expect.Outcomes.Match(ObservedKind.Timeout, null)?.Verdict == Verdict.Pass ? within : null;
}
