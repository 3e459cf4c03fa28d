using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.Browser;

/// <summary>Browser verdicts next to raw verdicts: agreement, both kinds of disagreement, and when nothing is compared.</summary>
public sealed class BrowserAgreementTests
{
    private static readonly BrowserCase Cookie = BrowserCatalog.Find("browser-cookie-stored-as-sent")!;

    private static CaseResult Result(Verdict verdict, IReadOnlyList<Finding>? findings = null) => new()
    {
        Case = Cookie.Case,
        Verdict = verdict,
        Findings = findings ?? [],
        Connections = [],
        Observed = [],
        StartedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.Zero,
    };

    private static Dictionary<string, CaseResult> Raw(params Verdict[] verdicts)
        => Cookie.RawCounterparts.Zip(verdicts).ToDictionary(p => p.First, p => Result(p.Second));

    [Test]
    public void Both_passing_agree_without_a_finding()
    {
        var compared = BrowserAgreement.Compare(Cookie, Result(Verdict.Pass), Raw(Verdict.Pass, Verdict.Pass, Verdict.Pass));
        Assert.Multiple(() =>
        {
            Assert.That(compared.Agreement!.Status, Is.EqualTo(AgreementStatus.Agrees));
            Assert.That(compared.Verdict, Is.EqualTo(Verdict.Pass));
            Assert.That(compared.Findings, Is.Empty);
            Assert.That(compared.Agreement.Raw.Select(r => r.CaseId), Is.EqualTo(Cookie.RawCounterparts));
        });
    }

    [Test]
    public void Raw_pass_and_browser_refusal_is_a_disagreement_finding()
    {
        var fail = new Finding { Verdict = Verdict.Fail, Kind = FindingKind.Assertion, Rule = "cookie sid stored" };
        var compared = BrowserAgreement.Compare(Cookie, Result(Verdict.Fail, [fail]), Raw(Verdict.Pass, Verdict.Pass, Verdict.Pass));
        var finding = compared.Findings.Single(f => f.Kind == FindingKind.Agreement);
        Assert.Multiple(() =>
        {
            Assert.That(compared.Agreement!.Status, Is.EqualTo(AgreementStatus.Disagrees));
            Assert.That(compared.Verdict, Is.EqualTo(Verdict.Fail));
            Assert.That(finding.Rule, Is.EqualTo(BrowserAgreement.Rule));
            Assert.That(finding.Verdict, Is.EqualTo(Verdict.Info));
            Assert.That(finding.Actual, Does.Contain("browser FAIL").And.Contain("cookies-set-cookie-grammar PASS"));
            Assert.That(finding.Detail, Does.Contain("raw bytes pass"));
        });
    }

    [Test]
    public void Raw_fault_and_browser_pass_is_a_disagreement_that_marks_the_case_info()
    {
        var compared = BrowserAgreement.Compare(Cookie, Result(Verdict.Pass), Raw(Verdict.Pass, Verdict.Warn, Verdict.Pass));
        Assert.Multiple(() =>
        {
            Assert.That(compared.Agreement!.Status, Is.EqualTo(AgreementStatus.Disagrees));
            Assert.That(compared.Verdict, Is.EqualTo(Verdict.Info), "visible in the report, never a gate failure on its own");
            Assert.That(compared.Findings.Single().Detail, Does.Contain("cookies-names-are-tokens-and-values-cookie-octets WARN").And.Contain("lenient browser"));
        });
    }

    [Test]
    public void Both_at_fault_agree()
    {
        var compared = BrowserAgreement.Compare(Cookie, Result(Verdict.Fail), Raw(Verdict.Fail, Verdict.Pass, Verdict.Pass));
        Assert.That(compared.Agreement!.Status, Is.EqualTo(AgreementStatus.Agrees));
        Assert.That(compared.Findings, Is.Empty);
    }

    [Test]
    public void Nothing_is_compared_when_no_counterpart_ran_or_was_judged_or_the_browser_skipped()
    {
        var none = BrowserAgreement.Compare(Cookie, Result(Verdict.Pass), new Dictionary<string, CaseResult>());
        var skipped = BrowserAgreement.Compare(Cookie, Result(Verdict.Pass), Raw(Verdict.Skip, Verdict.Error, Verdict.Skip));
        var browserSkipped = BrowserAgreement.Compare(Cookie, Result(Verdict.Skip), Raw(Verdict.Fail, Verdict.Fail, Verdict.Fail));
        Assert.Multiple(() =>
        {
            Assert.That(none.Agreement!.Status, Is.EqualTo(AgreementStatus.NotCompared));
            Assert.That(none.Agreement.Detail, Does.Contain("none of its raw counterparts ran"));
            Assert.That(skipped.Agreement!.Status, Is.EqualTo(AgreementStatus.NotCompared));
            Assert.That(browserSkipped.Agreement!.Status, Is.EqualTo(AgreementStatus.NotCompared));
            Assert.That(new[] { none, skipped, browserSkipped }.SelectMany(r => r.Findings), Is.Empty);
        });
    }

    [Test]
    public void A_case_without_raw_counterparts_says_so_instead_of_listing_none()
    {
        var secure = BrowserCatalog.Find("browser-cookie-secure-only-over-https")!;
        var compared = BrowserAgreement.Compare(secure, Result(Verdict.Pass) with { Case = secure.Case }, new Dictionary<string, CaseResult>());
        Assert.Multiple(() =>
        {
            Assert.That(compared.Agreement!.Status, Is.EqualTo(AgreementStatus.NotCompared));
            Assert.That(compared.Agreement.Detail, Is.EqualTo("it has no raw counterpart: only a browser shows what it sends back"));
            Assert.That(compared.Findings, Is.Empty);
        });
    }
}
