namespace Conformance.Harness.Snapshots;

/// <summary>
/// Approved snapshots, Verify-style: one seam so Verify.NUnit can replace our small store where its
/// package is available. A case's snapshot in, a verdict out; how the parts are laid out on disk is the
/// store's business. Cases may be verified in parallel; <see cref="Complete"/> ends a run.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Whether this store approves what it is given instead of comparing.</summary>
    bool Accept { get; }

    /// <summary>Compares a case's snapshot with the approved one (approving it instead when accepting).</summary>
    SnapshotResult Verify(CaseSnapshot snapshot);

    /// <summary>
    /// Ends a run: keeps what the run verified for later review (approving it when accepting).
    /// <paramref name="wholeCatalog"/>: the run covered every case, so approved snapshots of any other case are
    /// orphans (removed when accepting).
    /// </summary>
    SnapshotCompletion Complete(IReadOnlyCollection<string> caseIds, bool wholeCatalog);
}

public enum SnapshotStatus
{
    /// <summary>Equal to the approved snapshot.</summary>
    Matched,

    /// <summary>Accepting: the snapshot is now the approved one (it was new or different).</summary>
    Accepted,

    /// <summary>Different from the approved snapshot: a .received file and a diff were produced.</summary>
    Changed,

    /// <summary>No approved snapshot yet: a mismatch until accepted.</summary>
    New,
}

/// <summary>What differs from the approved snapshot, most important first: the gate counts each kind apart.</summary>
public enum SnapshotChange
{
    None,

    /// <summary>The case has no approved snapshot yet.</summary>
    New,

    /// <summary>The verdict changed (the findings may have too).</summary>
    Verdict,

    /// <summary>Same verdict, different findings (rule ids).</summary>
    Findings,

    /// <summary>Same verdict and findings; only the bytes received (or the values sent) differ.</summary>
    Transcript,
}

/// <summary>
/// The outcome for one case. <see cref="Diff"/> shows, when it did not match, the ledger line that changed and a
/// unified diff of the transcript.
/// </summary>
public sealed record SnapshotResult(string CaseId, SnapshotStatus Status, SnapshotChange Change, string VerifiedPath, string? ReceivedPath, string? Diff)
{
    public bool Ok => Status is SnapshotStatus.Matched or SnapshotStatus.Accepted;

    public string Describe() => Status switch
    {
        SnapshotStatus.Matched => $"{CaseId}: snapshot matches",
        SnapshotStatus.Accepted => $"{CaseId}: snapshot accepted ({Label(Change)}) into {VerifiedPath}",
        SnapshotStatus.New => $"{CaseId}: new snapshot, not yet approved: {ReceivedPath} (approve with --accept or CONFORMANCE_ACCEPT=true)\n{Diff}",
        _ => $"{CaseId}: {Label(Change)}: {ReceivedPath ?? VerifiedPath} differs (approve with --accept or CONFORMANCE_ACCEPT=true)\n{Diff}",
    };

    public static string Label(SnapshotChange change) => change switch
    {
        SnapshotChange.New => "new case",
        SnapshotChange.Verdict => "verdict changed",
        SnapshotChange.Findings => "findings changed",
        SnapshotChange.Transcript => "transcript changed",
        _ => "unchanged",
    };
}

/// <summary>What ending a run found: approved snapshots of cases that no longer exist (removed when accepting).</summary>
public sealed record SnapshotCompletion(IReadOnlyList<string> Orphans, bool OrphansRemoved);
