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

    /// <summary>Cases that actually ran to a judgement about the server (everything but SKIP).</summary>
    public int Run => Total - Skipped;
}

/// <summary>
/// What a run certifies, stated once and identically in report.json, report.html and summary.md.
/// An incomplete run, or one where a MUST case could not be judged (ERROR), never claims conformance.
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

    /// <summary>True only when the run was complete, at least one MUST case ran, and none failed or errored.</summary>
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
        var conforms = complete && shard is null && must.Run > 0 && must.Failed == 0 && must.Errors == 0;

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
        else
            statement = $"{target} is not certified at MUST level: no MUST case ran.";

        // Skips and errors are stated even beside a positive claim: the claim covers only what ran.
        var caveats = new List<string>();
        if (must.Skipped > 0) caveats.Add($"{Cases(must.Skipped)} skipped (the profile lacks their roles)");
        if (must.Errors > 0 && must.Failed > 0) caveats.Add($"{Cases(must.Errors)} ended in ERROR");
        if (caveats.Count > 0) statement += " " + string.Join("; ", caveats) + ".";

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
        };
    }
}
