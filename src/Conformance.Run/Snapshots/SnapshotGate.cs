using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// What verifying a whole run's snapshots found, counted by kind: a reviewer treats a verdict change and a
/// transcript-only change differently, so the gate never lumps them together.
/// </summary>
public sealed record SnapshotGateResult(IReadOnlyList<SnapshotResult> Results, SnapshotCompletion Completion)
{
    public IReadOnlyList<string> Orphans => Completion.Orphans;
    public IReadOnlyList<SnapshotResult> Mismatches => Results.Where(r => !r.Ok).ToList();

    /// <summary>Cases whose verdict changed, new cases, and (not accepting) approved cases that no longer ran at all.</summary>
    public int VerdictChanges => Mismatches.Count(r => r.Change is SnapshotChange.Verdict or SnapshotChange.New) + (Completion.OrphansRemoved ? 0 : Orphans.Count);

    public int FindingChanges => Mismatches.Count(r => r.Change == SnapshotChange.Findings);
    public int TranscriptChanges => Mismatches.Count(r => r.Change == SnapshotChange.Transcript);
    public int Accepted => Results.Count(r => r.Status == SnapshotStatus.Accepted);
    public int Matched => Results.Count(r => r.Status == SnapshotStatus.Matched);
    public bool Ok => VerdictChanges + FindingChanges + TranscriptChanges == 0;

    /// <summary>The counts for report.json, so a CI view reads them without parsing the console.</summary>
    public BaselineReport ToReport(string folder, bool accepting) => new()
    {
        Folder = folder,
        Accepted = accepting,
        Matched = Matched,
        VerdictChanges = VerdictChanges,
        FindingChanges = FindingChanges,
        TranscriptChanges = TranscriptChanges,
        AcceptedChanges = Accepted,
        Orphans = Orphans,
        Changed = [.. Mismatches.Select(m => new BaselineChangeReport(m.CaseId, SnapshotResult.Label(m.Change)))],
    };
}

/// <summary>Where baselines live and when to verify them, for both the CLI and the NUnit suite.</summary>
public static class Baselines
{
    /// <summary>reports/baselines/&lt;profile-name&gt;/ under the repository root.</summary>
    public static string Folder(string root, string profileName) => Path.Combine(RepoPaths.Baselines(root), profileName);

    /// <summary>CONFORMANCE_ACCEPT=true approves every snapshot the run produces.</summary>
    public static bool AcceptFromEnvironment(Func<string, string?>? read = null)
        => (read ?? Environment.GetEnvironmentVariable)(RunOptions.Env.Accept) is { Length: > 0 } v && RunOptions.ParseBool(v, RunOptions.Env.Accept);

    public static ScrubContext ContextFor(Uri baseUri, TargetProfile profile) => new()
    {
        HostPort = baseUri.Authority,
        RandomPrefixes = profile.Roles.Missing is { Random: true } m ? [m.RandomPrefix] : [],
    };

    /// <summary>
    /// Compares a finished run's report with the approved baselines of its profile without writing anything (a seed
    /// sweep, the bench): the scrubber is rebuilt from the report (its URL, and its profile file for the missing-path
    /// prefix). Null when the profile has no baseline folder.
    /// </summary>
    public static SnapshotGateResult? CompareReadOnly(RunReport report, string root, IReadOnlyDictionary<string, ConformanceCase> fixtures)
    {
        var folder = Folder(root, report.Target.Profile);
        if (!Directory.Exists(folder)) return null;
        IReadOnlyList<string> prefixes = [];
        if (report.Target.ProfileFile is { } file && File.Exists(Path.Combine(root, file)))
            prefixes = TargetProfileLoader.Load(Path.Combine(root, file)).Roles.Missing is { Random: true } m ? [m.RandomPrefix] : [];
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = new Uri(report.Target.Url).Authority, RandomPrefixes = prefixes });
        return VerifyRun(report, new FileSnapshotStore(folder, accept: false, writeReceived: false), scrubber, fixtures);
    }

    /// <summary>
    /// Verifies every raw case of a report (fixtures: the cases by id, so sends are read against their steps), then
    /// completes the run; a whole, unsharded run also finds orphans. Browser cases have no snapshot: what they record
    /// is Chromium's view (its headers, its cache, whether it is installed at all), so a baseline would pin the
    /// browser build, not the server; their raw counterparts pin the server's bytes.
    /// </summary>
    public static SnapshotGateResult VerifyRun(RunReport report, ISnapshotStore store, SnapshotScrubber scrubber, IReadOnlyDictionary<string, ConformanceCase>? fixtures = null)
    {
        var snapshotted = report.Cases.Where(c => !Browser.BrowserCatalog.IsBrowserArea(c.Area)).ToList();
        var results = snapshotted.Select(c => store.Verify(SnapshotRenderer.Render(c, fixtures?.GetValueOrDefault(c.Id), scrubber))).ToList();
        var whole = report.Run.Complete && report.Run.Filter is null && report.Run.Shard is null;
        return new SnapshotGateResult(results, store.Complete(snapshotted.Select(c => c.Id).ToList(), whole));
    }
}
