using System.Globalization;

namespace Conformance.Harness.Reports;

/// <summary>
/// The coverage a run lost (SKIP) or kept on weaker evidence, as plain lines every output prints the same
/// way: the console and summary.md as text, report.html as a list, junit.xml as properties and output. A
/// SKIP is coverage lost in silence unless it is counted, by area, with the role that would bring it in.
/// </summary>
public static class CoverageLines
{
    /// <summary>What each role adds, for a reader deciding which role to add to the profile.</summary>
    public static string RoleAdds(string role) => role switch
    {
        "echo" => "compares the decoded request content (chunked, framing, smuggling, Expect cases)",
        "validators" => "conditional requests: If-None-Match, If-Modified-Since, 304 responses",
        "redirect" => "redirect status and Location cases",
        "missing" => "404 cases and soft-404 detection",
        "cookieSetter" => "Set-Cookie grammar cases",
        "cookieChecker" => "cookie round-trip cases",
        "cookieEcho" => "cookie variety cases (seeded cookies sent back)",
        "secureCookieSetter" => "the Secure cookie browser case (needs an https target with a plain-http twin)",
        "existing" => "almost every case: a resource that answers 200 to GET",
        _ => "cases that need it",
    };

    public static CoverageSummary Of(RunReport report) => report.Summary.Coverage ?? ReportBuilder.Cover(report.Cases);

    /// <summary>A headline and one line per area and per role; just the headline when nothing was lost.</summary>
    public static IReadOnlyList<string> For(RunReport report)
    {
        var c = Of(report);
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"coverage: {N(c.NotJudged)} not judged (SKIP; {N(c.MustNotJudged)} MUST), {N(c.WeakerEvidence)} judged on weaker evidence ({N(c.MustWeakerEvidence)} MUST)"
                + (report.Run.NotSelected is { } ns ? $", {N(ns.Cases)} left out by the filter ({N(ns.MustCases)} MUST)" : ""),
        };
        foreach (var (area, count) in c.ByArea)
            lines.Add($"  area {area}: {N(count.NotJudged)} not judged, {N(count.WeakerEvidence)} weaker");
        foreach (var (role, count) in c.ByRole)
        {
            lines.Add(role.Length == 0
                ? $"  no role would help: {N(count.NotJudged)} not judged, {N(count.WeakerEvidence)} weaker (a capture or a value the server did not give, or a close)"
                : $"  role {role} would bring in {N(count.NotJudged)} and judge {N(count.WeakerEvidence)} in full: {RoleAdds(role)}");
        }
        return lines;
    }
}
