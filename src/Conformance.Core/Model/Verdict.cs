namespace Conformance.Harness.Model;

/// <summary>The outcome of one case. Declared in rising order of severity, so the worst finding wins.</summary>
public enum Verdict
{
    Pass,
    Info,
    Skip,
    Warn,
    Fail,
    Error,
}

public static class Verdicts
{
    public static string ToLabel(this Verdict verdict) => verdict.ToString().ToUpperInvariant();

    public static bool TryParse(string text, out Verdict verdict)
    {
        switch (text)
        {
            case "PASS": verdict = Verdict.Pass; return true;
            case "INFO": verdict = Verdict.Info; return true;
            case "SKIP": verdict = Verdict.Skip; return true;
            case "WARN": verdict = Verdict.Warn; return true;
            case "FAIL": verdict = Verdict.Fail; return true;
            case "ERROR": verdict = Verdict.Error; return true;
            default: verdict = default; return false;
        }
    }

    public static Verdict Worst(Verdict a, Verdict b) => a >= b ? a : b;
}
