using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Cli;

/// <summary>
/// Shows progress during a run: one self-overwriting line on a terminal, and only the non-passing cases,
/// one plain line each, when output is redirected (CI logs stay readable).
/// </summary>
internal sealed class ProgressPrinter(bool plain) : IRunProgress
{
    private readonly Lock gate = new();
    private int done;
    private int notPassing;

    public void OnCaseDone(CaseResult result)
    {
        lock (gate)
        {
            done++;
            var bad = result.Verdict is Verdict.Fail or Verdict.Error or Verdict.Warn;
            if (bad) notPassing++;
            if (plain)
            {
                if (bad) Console.WriteLine($"  {result.Verdict.ToLabel(),-5} {result.Case.Id}");
            }
            else
            {
                // \r returns to the line start and ESC[K clears what a longer previous id left behind.
                Console.Write($"\r  {done} cases done, {notPassing} not passing: {result.Case.Id}\u001b[K");
            }
        }
    }

    public void Finish()
    {
        if (!plain && done > 0) Console.WriteLine();
    }
}
