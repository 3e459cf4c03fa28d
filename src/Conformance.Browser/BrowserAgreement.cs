using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Harness.Browser;

/// <summary>
/// Puts each browser case next to the raw-socket cases declared as its counterparts
/// (<see cref="BrowserCase.RawCounterparts"/>). Verdicts are compared by what they say about the server:
/// PASS and INFO say "fine", WARN and FAIL say "at fault"; SKIP and ERROR say nothing and are left out.
/// A disagreement becomes a finding of its own (kind "agreement", INFO): the two views of one behaviour
/// differ, so either the browser is more lenient or strict than the bytes suggest, or one of the checks is
/// wrong. It never fails the gate by itself: whichever side found a fault already carries that verdict.
/// </summary>
public static class BrowserAgreement
{
    public const string Rule = "browser-vs-raw";

    public static CaseResult Compare(BrowserCase browser, CaseResult result, IReadOnlyDictionary<string, CaseResult> rawResults)
    {
        var ran = browser.RawCounterparts.Where(rawResults.ContainsKey).Select(id => new RawVerdict(id, rawResults[id].Verdict)).ToList();
        var judged = ran.Where(r => Judges(r.Verdict)).ToList();
        var listed = string.Join(", ", ran.Select(r => $"{r.CaseId} {r.Verdict.ToLabel()}"));

        AgreementResult agreement;
        if (!Judges(result.Verdict))
        {
            agreement = new(AgreementStatus.NotCompared, result.Verdict, ran, $"the browser case is {result.Verdict.ToLabel()}, so it says nothing to compare");
        }
        else if (browser.RawCounterparts.Count == 0)
        {
            // What the browser sends back is its own decision on what the server set: no raw case can see it.
            agreement = new(AgreementStatus.NotCompared, result.Verdict, ran, "it has no raw counterpart: only a browser shows what it sends back");
        }
        else if (judged.Count == 0)
        {
            var notRun = browser.RawCounterparts.Where(id => !rawResults.ContainsKey(id)).ToList();
            agreement = new(AgreementStatus.NotCompared, result.Verdict, ran, ran.Count == 0
                ? $"none of its raw counterparts ran in this run ({string.Join(", ", browser.RawCounterparts)})"
                : $"its raw counterparts were not judged ({listed})" + (notRun.Count > 0 ? $"; not run: {string.Join(", ", notRun)}" : ""));
        }
        else
        {
            var browserFine = Fine(result.Verdict);
            var faulted = judged.Where(r => !Fine(r.Verdict)).ToList();
            var rawFine = faulted.Count == 0;
            var status = browserFine == rawFine ? AgreementStatus.Agrees : AgreementStatus.Disagrees;
            var detail = (browserFine, rawFine) switch
            {
                (true, true) => $"browser and raw cases all pass ({listed})",
                (false, false) => $"browser and raw cases both find a fault ({listed})",
                (true, false) => $"the raw bytes break a rule ({string.Join(", ", faulted.Select(r => $"{r.CaseId} {r.Verdict.ToLabel()}"))}) but Chromium gives the user what the case expects: a lenient browser, or a raw rule browsers do not enforce",
                (false, true) => $"the raw bytes pass ({listed}) but Chromium does not give the user what the case expects: the browser applies a rule the raw cases do not check (see this case's findings)",
            };
            agreement = new(status, result.Verdict, ran, detail);
        }

        if (agreement.Status != AgreementStatus.Disagrees) return result with { Agreement = agreement };
        var finding = new Finding
        {
            Verdict = Verdict.Info,
            Kind = FindingKind.Agreement,
            Rule = Rule,
            Expected = "the browser and the raw-socket cases judge the same behaviour alike",
            Actual = $"browser {result.Verdict.ToLabel()}; raw {listed}",
            Detail = agreement.Detail,
            Location = browser.Case.Location,
        };
        return result with
        {
            Agreement = agreement,
            Findings = [.. result.Findings, finding],
            Verdict = Verdicts.Worst(result.Verdict, Verdict.Info),
        };
    }

    private static bool Judges(Verdict v) => v is Verdict.Pass or Verdict.Info or Verdict.Warn or Verdict.Fail;

    private static bool Fine(Verdict v) => v is Verdict.Pass or Verdict.Info;
}
