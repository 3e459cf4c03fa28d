using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Snapshots;

/// <summary>What verifying a whole run's snapshots found.</summary>
public sealed record SnapshotGateResult(IReadOnlyList<SnapshotResult> Results, IReadOnlyList<string> Orphans)
{
    public IReadOnlyList<SnapshotResult> Mismatches => Results.Where(r => !r.Ok).ToList();
    public bool Ok => Results.All(r => r.Ok);
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
    /// Verifies every raw case of a report. Accepting also clears .received files of cases that no longer exist.
    /// Browser cases have no snapshot: what they record is Chromium's view (its headers, its cache, whether it is
    /// installed at all), so a baseline would pin the browser build, not the server; their raw counterparts pin
    /// the server's bytes.
    /// </summary>
    public static SnapshotGateResult VerifyRun(RunReport report, FileSnapshotStore store, SnapshotScrubber scrubber)
    {
        var snapshotted = report.Cases.Where(c => !Browser.BrowserCatalog.IsBrowserArea(c.Area)).ToList();
        var results = snapshotted.Select(c => store.Verify(c.Id, CaseSnapshot.Render(c, scrubber))).ToList();
        var ids = snapshotted.Select(c => c.Id).ToList();
        if (store.Accept) store.DeleteStaleReceived(ids);
        return new SnapshotGateResult(results, store.Orphans(ids));
    }
}
