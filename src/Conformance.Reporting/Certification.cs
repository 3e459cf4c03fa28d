using System.Globalization;

namespace Conformance.Harness.Reports;

/// <summary>Cases of one requirement level: how many there were, and how each ended.</summary>
public sealed record LevelTally
{
    public required int Total { get; init; }

    /// <summary>PASS or INFO: the requirement held (INFO records a permitted choice, not a defect).</summary>
    public required int Passed { get; init; }
    public required int Failed { get; init; }
    public required int Warned { get; init; }
    public required int Errors { get; init; }
    public required int Skipped { get; init; }

    /// <summary>Cases judged (not SKIP) on weaker evidence than the full case, e.g. without the echo role.</summary>
    public int WeakerEvidence { get; init; }

    /// <summary>Cases that actually ran to a judgement about the server (everything but SKIP).</summary>
    public int Run => Total - Skipped;
}

/// <summary>
/// What a run certifies, stated once and identically in report.json, report.html and summary.md.
/// An incomplete run, or one where a MUST case could not be judged (ERROR), was skipped (the profile lacks its
/// role) or was left out by a filter, never claims conformance: it says what was and was not judged.
/// </summary>
public sealed record Certification
{
    public required string SuiteVersion { get; init; }
    public required string FixturesSha256 { get; init; }
    public required string TargetUrl { get; init; }
    public required string Profile { get; init; }
    public string? ServerIdentity { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required LevelTally Must { get; init; }
    public required LevelTally Should { get; init; }
    public required LevelTally May { get; init; }
    public required bool Complete { get; init; }

    /// <summary>MUST cases of the catalog a filter left out of the run.</summary>
    public int MustNotSelected { get; init; }

    /// <summary>
    /// True only when the run was complete, at least one MUST case ran, none failed or errored, and every MUST
    /// case of the catalog was judged (none skipped, none filtered out).
    /// </summary>
    public required bool ConformsAtMust { get; init; }

    /// <summary>One plain sentence, e.g. "Kestrel at http://127.0.0.1:5000/ conforms at MUST level to the 40 MUST cases run."</summary>
    public required string Statement { get; init; }

    public static Certification From(RunReport report)
    {
        var must = Tally(report.Cases, "MUST", "GRAMMAR");
        var should = Tally(report.Cases, "SHOULD");
        var may = Tally(report.Cases, "MAY");
        var target = report.Target.ServerIdentity is { Length: > 0 } id ? $"\"{id}\" at {report.Target.Url}" : report.Target.Url;
        var complete = report.Run.Complete;
        // A shard covers part of the catalog: only the merge of every shard may claim conformance.
        var shard = report.Run.Shard;
        var notSelected = report.Run.NotSelected?.MustCases ?? 0;
        var unjudged = must.Skipped + notSelected;
        var conforms = complete && shard is null && must.Run > 0 && must.Failed == 0 && must.Errors == 0 && unjudged == 0;

        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        string Cases(int n) => n == 1 ? "1 MUST case" : $"{N(n)} MUST cases";
        string statement;
        if (must.Failed > 0)
            statement = $"{target} does not conform at MUST level: {(must.Failed == 1 ? "1 MUST case fails" : $"{N(must.Failed)} MUST cases fail")} (of {N(must.Run)} run).";
        else if (conforms)
            statement = $"{target} conforms at MUST level to the {Cases(must.Run)} run.";
        else if (shard is not null && complete && must.Errors == 0)
            statement = $"{target} passes the {Cases(must.Run)} of shard {shard}; it is not certified at MUST level until every shard is merged (conformance merge).";
        else if (!complete)
            statement = $"{target} is not certified at MUST level: the run is incomplete{(report.Run.Note is { Length: > 0 } note ? $" ({note})" : "")}.";
        else if (must.Errors > 0)
            statement = $"{target} is not certified at MUST level: {Cases(must.Errors)} could not be judged (ERROR).";
        else if (must.Run > 0)
            statement = $"{target} passes the {Cases(must.Run)} judged, but is not certified at MUST level: {Cases(unjudged)} of the catalog {(unjudged == 1 ? "was" : "were")} not judged.";
        else
            statement = $"{target} is not certified at MUST level: no MUST case ran.";

        // What was not judged, or judged on weaker evidence, is stated beside any claim: the claim covers only what ran.
        var caveats = new List<string>();
        if (must.Skipped > 0)
        {
            var roles = report.Cases.Where(c => c.Verdict == "SKIP" && c.Level is "MUST" or "GRAMMAR").GroupBy(c => c.MissingRole ?? "")
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key.Length == 0 ? $"{N(g.Count())} for another reason" : $"{N(g.Count())} {(g.Count() == 1 ? "needs" : "need")} the {g.Key} role").ToList();
            caveats.Add($"{Cases(must.Skipped)} skipped ({string.Join(", ", roles)})");
        }
        if (notSelected > 0) caveats.Add($"{Cases(notSelected)} left out by the filter \"{report.Run.Filter}\"");
        if (must.WeakerEvidence > 0)
        {
            var roles = report.Cases.Where(c => c.Verdict != "SKIP" && c.WeakerEvidence == true && c.Level is "MUST" or "GRAMMAR" && c.MissingRole is not null)
                .Select(c => c.MissingRole!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            caveats.Add($"{Cases(must.WeakerEvidence)} judged on weaker evidence{(roles.Count > 0 ? $" (the {string.Join(", ", roles)} role would judge them in full)" : "")}");
        }
        if (must.Errors > 0 && must.Failed > 0) caveats.Add($"{Cases(must.Errors)} ended in ERROR");
        if (caveats.Count > 0) statement += " " + char.ToUpperInvariant(caveats[0][0]) + string.Join("; ", caveats)[1..] + ".";

        return new Certification
        {
            SuiteVersion = report.Suite.Version,
            FixturesSha256 = report.Fixtures.Sha256,
            TargetUrl = report.Target.Url,
            Profile = report.Target.Profile,
            ServerIdentity = report.Target.ServerIdentity,
            Date = report.Run.FinishedAt,
            Must = must,
            Should = should,
            May = may,
            Complete = complete,
            ConformsAtMust = conforms,
            MustNotSelected = notSelected,
            Statement = statement,
        };
    }

    /// <summary>"MUST passed 38/40, SHOULD passed 10/12, MAY 3/3" — the counts line every output prints.</summary>
    public string CountsLine()
    {
        static string Part(string level, LevelTally t) => $"{level} passed {t.Passed.ToString(CultureInfo.InvariantCulture)}/{t.Total.ToString(CultureInfo.InvariantCulture)}";
        return $"{Part("MUST", Must)}, {Part("SHOULD", Should)}, {Part("MAY", May)}";
    }

    private static LevelTally Tally(IReadOnlyList<CaseReport> cases, params string[] levels)
    {
        var mine = cases.Where(c => levels.Contains(c.Level, StringComparer.Ordinal)).ToList();
        int Count(params string[] verdicts) => mine.Count(c => verdicts.Contains(c.Verdict, StringComparer.Ordinal));
        return new LevelTally
        {
            Total = mine.Count,
            Passed = Count("PASS", "INFO"),
            Failed = Count("FAIL"),
            Warned = Count("WARN"),
            Errors = Count("ERROR"),
            Skipped = Count("SKIP"),
            WeakerEvidence = mine.Count(c => c.Verdict != "SKIP" && c.WeakerEvidence == true),
        };
    }
}
