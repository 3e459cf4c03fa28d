using System.Text;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Snapshots as files, following Verify's conventions: &lt;case-id&gt;.verified.txt is approved and committed;
/// a mismatch writes &lt;case-id&gt;.received.txt beside it (git-ignored) until it is accepted.
/// Files are UTF-8 without BOM with LF line ends (.gitattributes: *.verified.* text eol=lf).
/// </summary>
public sealed class FileSnapshotStore(string directory, bool accept) : ISnapshotStore
{
    public const string VerifiedSuffix = ".verified.txt";
    public const string ReceivedSuffix = ".received.txt";

    private static readonly UTF8Encoding Utf8 = new(false);

    public string Directory { get; } = directory;
    public bool Accept { get; } = accept;

    public SnapshotResult Verify(string caseId, string text)
    {
        if (caseId.Length == 0 || caseId.IndexOfAny(['/', '\\', ':']) >= 0 || caseId.Contains("..", StringComparison.Ordinal) || caseId.Any(char.IsControl))
            throw new ArgumentException($"\"{caseId}\" cannot name a snapshot file", nameof(caseId));
        var received = Normalize(text);
        var verifiedPath = Path.Combine(Directory, caseId + VerifiedSuffix);
        var receivedPath = Path.Combine(Directory, caseId + ReceivedSuffix);
        var approved = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath, Utf8)) : null;

        if (string.Equals(approved, received, StringComparison.Ordinal))
        {
            // A .received left by an earlier mismatch is stale once the text matches again.
            File.Delete(receivedPath);
            return new SnapshotResult(caseId, SnapshotStatus.Matched, verifiedPath, null, null);
        }
        System.IO.Directory.CreateDirectory(Directory);
        if (Accept)
        {
            File.WriteAllText(verifiedPath, received, Utf8);
            File.Delete(receivedPath);
            return new SnapshotResult(caseId, SnapshotStatus.Accepted, verifiedPath, null, null);
        }
        File.WriteAllText(receivedPath, received, Utf8);
        var diff = UnifiedDiff.Render($"{caseId}{VerifiedSuffix}{(approved is null ? " (none yet)" : "")}", caseId + ReceivedSuffix, approved ?? "", received);
        return new SnapshotResult(caseId, approved is null ? SnapshotStatus.New : SnapshotStatus.Changed, verifiedPath, receivedPath, diff);
    }

    /// <summary>Approves every pending .received file: moves it over its .verified file. Returns the case ids.</summary>
    public IReadOnlyList<string> AcceptAllReceived()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var accepted = new List<string>();
        foreach (var received in System.IO.Directory.GetFiles(Directory, "*" + ReceivedSuffix).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(received)[..^ReceivedSuffix.Length];
            File.Move(received, Path.Combine(Directory, id + VerifiedSuffix), overwrite: true);
            accepted.Add(id);
        }
        return accepted;
    }

    /// <summary>Deletes .received files of cases not in <paramref name="current"/> (a renamed or removed case).</summary>
    public IReadOnlyList<string> DeleteStaleReceived(IEnumerable<string> current)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var keep = current.ToHashSet(StringComparer.Ordinal);
        var deleted = new List<string>();
        foreach (var received in System.IO.Directory.GetFiles(Directory, "*" + ReceivedSuffix))
        {
            var id = Path.GetFileName(received)[..^ReceivedSuffix.Length];
            if (keep.Contains(id)) continue;
            File.Delete(received);
            deleted.Add(id);
        }
        return deleted;
    }

    /// <summary>Approved snapshots whose case no longer exists: reported, never deleted silently.</summary>
    public IReadOnlyList<string> Orphans(IEnumerable<string> current)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var keep = current.ToHashSet(StringComparer.Ordinal);
        return System.IO.Directory.GetFiles(Directory, "*" + VerifiedSuffix)
            .Select(f => Path.GetFileName(f)[..^VerifiedSuffix.Length])
            .Where(id => !keep.Contains(id)).Order(StringComparer.Ordinal).ToList();
    }

    // One form on disk and in memory: LF only, so a checkout with other settings never fakes a change.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
}
