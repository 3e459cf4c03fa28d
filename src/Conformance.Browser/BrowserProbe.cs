using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Browser.Devtools;

namespace Conformance.Harness.Browser;

/// <summary>
/// The state of one browser case while it runs: the page, its context, the network log and the findings.
/// Every check states expected and actual in the words of the case, like the raw runner's findings.
/// Never shared between cases.
/// </summary>
public sealed class BrowserProbe
{
    internal BrowserProbe(BrowserCase @case, Target target, int seed, BrowserPage page)
    {
        Case = @case;
        Target = target;
        Page = page;
        Values = new CaseContext(@case.Case, target, seed);
    }

    public BrowserCase Case { get; }
    public Target Target { get; }
    /// <summary>The case's page, alone in its browser context (its own cookie jar and cache).</summary>
    public BrowserPage Page { get; }
    public NetworkLog Log => Page.Log;

    /// <summary>Placeholder values seeded like a fixture case's ({path.missing} is the same path for the same seed).</summary>
    public CaseContext Values { get; }

    public List<Finding> Findings { get; } = [];
    public List<string> Observed { get; } = [];
    public string? SkipReason { get; set; }
    public string? ErrorReason { get; set; }

    public Uri Url(string pathOrUri) => new(Target.BaseUri, pathOrUri);

    /// <summary>Records a finding when <paramref name="holds"/> is false, judged at <paramref name="level"/> (default: the case's).</summary>
    public bool Check(bool holds, string rule, string expected, string actual, RequirementLevel? level = null,
        RfcReference? rfc = null, string? requirement = null, string? detail = null)
    {
        if (holds) return true;
        var l = level ?? Case.Case.Level;
        Findings.Add(new Finding
        {
            Verdict = l.VerdictWhenBroken(),
            Kind = FindingKind.Assertion,
            Rule = rule,
            Level = l,
            Rfc = rfc ?? Case.Case.Rfc,
            Requirement = requirement ?? Case.Case.Requirement,
            Expected = expected,
            Actual = actual,
            Detail = detail,
            Location = Case.Case.Location,
        });
        return false;
    }

    /// <summary>An observation that changes no verdict: what the browser reported when it differs from the network.</summary>
    public void Note(string rule, string detail) => Findings.Add(new Finding
    {
        Verdict = Verdict.Pass,
        Kind = FindingKind.Note,
        Rule = rule,
        Detail = detail,
        Location = Case.Case.Location,
    });

    /// <summary>
    /// Set when Chromium answered a navigation with its own error page because the server sent an error status
    /// without content (net::ERR_HTTP_RESPONSE_CODE_FAILURE): the status the network saw, for the scenario to judge.
    /// </summary>
    public int? ErrorPageStatus { get; private set; }

    /// <summary>
    /// Navigates and records the status. A navigation Chromium could not complete is what the user sees, so it is
    /// a finding, unless <paramref name="errorPageIsAnAnswer"/> lets the scenario judge an error status without content.
    /// </summary>
    public async Task<BrowserResponse?> GotoAsync(Uri url, string what, bool errorPageIsAnAnswer = false)
    {
        ErrorPageStatus = null;
        try
        {
            var response = await Page.GotoAsync(url.AbsoluteUri).ConfigureAwait(false);
            Observed.Add(response is null ? "no-response" : response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (NavigationFailedException e)
        {
            var network = Log.WireFor(url.AbsoluteUri);
            if (e.ErrorText == "net::ERR_HTTP_RESPONSE_CODE_FAILURE" && network.Count > 0)
            {
                var status = network[^1].Status;
                Observed.Add(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (errorPageIsAnAnswer)
                {
                    ErrorPageStatus = status;
                    return null;
                }
                Check(false, "navigation", $"Chromium loads {what} ({url.AbsoluteUri})", $"{status} without content: Chromium shows its own error page");
                return null;
            }
            Observed.Add("net-error");
            Check(false, "navigation", $"Chromium loads {what} ({url.AbsoluteUri})", $"the navigation failed: {FirstLine(e.Message)}");
            return null;
        }
    }

    internal static string FirstLine(string message)
    {
        var nl = message.IndexOf('\n', StringComparison.Ordinal);
        return (nl < 0 ? message : message[..nl]).Trim();
    }
}
