namespace Conformance.Harness.Snapshots;

/// <summary>
/// Approved snapshots, Verify-style: one seam so Verify.NUnit can replace our small store where its
/// package is available. Text in, verdict out; where the files live is the store's business.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Compares <paramref name="text"/> with the approved snapshot of the case (approving it instead when accepting).</summary>
    SnapshotResult Verify(string caseId, string text);
}

public enum SnapshotStatus
{
    /// <summary>Equal to the approved snapshot.</summary>
    Matched,

    /// <summary>Accepting: the text is now the approved snapshot (it was new or different).</summary>
    Accepted,

    /// <summary>Different from the approved snapshot: a .received file and a diff were produced.</summary>
    Changed,

    /// <summary>No approved snapshot yet: a mismatch until accepted.</summary>
    New,
}

/// <summary>The outcome for one case; <see cref="Diff"/> is a unified diff naming the case when it did not match.</summary>
public sealed record SnapshotResult(string CaseId, SnapshotStatus Status, string VerifiedPath, string? ReceivedPath, string? Diff)
{
    public bool Ok => Status is SnapshotStatus.Matched or SnapshotStatus.Accepted;

    public string Describe() => Status switch
    {
        SnapshotStatus.Matched => $"{CaseId}: snapshot matches",
        SnapshotStatus.Accepted => $"{CaseId}: snapshot accepted into {VerifiedPath}",
        SnapshotStatus.New => $"{CaseId}: new snapshot, not yet approved: {ReceivedPath} (approve with --accept or CONFORMANCE_ACCEPT=true)\n{Diff}",
        _ => $"{CaseId}: snapshot changed: {ReceivedPath} differs from {VerifiedPath} (approve with --accept or CONFORMANCE_ACCEPT=true)\n{Diff}",
    };
}
