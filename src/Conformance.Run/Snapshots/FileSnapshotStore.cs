using System.Collections.Concurrent;
using System.Text;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Snapshots as files, following Verify's conventions (approved <c>.verified.txt</c>, committed; a mismatch
/// writes <c>.received.txt</c> beside it, git-ignored, until accepted). One folder per server holds:
/// <list type="bullet">
/// <item><c>_verdicts.&lt;area&gt;.verified.txt</c>, the ledger of one area: one line per case, its verdict and findings
/// by rule id, sorted by case id, so a verdict change is one line in the first files of a <c>git diff</c> (one
/// file per area keeps each under 200 lines);</item>
/// <item><c>&lt;case-id&gt;.verified.txt</c>, the case's transcript, only for cases that sent or received a byte
/// (a case skipped up front is its ledger line and nothing else);</item>
/// <item><c>_bodies.verified.txt</c>, the response bodies that recur across the transcripts, each written once and
/// named in the transcripts by digest (<see cref="SharedBodies"/>); chosen anew when a whole run is accepted.</item>
/// </list>
/// Files are UTF-8 without BOM with LF line ends (.gitattributes: *.verified.* text eol=lf).
/// </summary>
public sealed class FileSnapshotStore : ISnapshotStore
{
    public const string VerifiedSuffix = ".verified.txt";
    public const string ReceivedSuffix = ".received.txt";

    /// <summary>The ledger's name; "_" sorts it before every case id (lower-case slugs), so it is read first.</summary>
    public const string LedgerName = "_verdicts";

    private const string LedgerHeader = "# Verdict and findings (verdict and rule id) of each case of this area; its bytes are in <case-id>.verified.txt.\n";

    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly Lazy<IReadOnlyDictionary<string, LedgerLine>> approvedLedger;
    private readonly ConcurrentDictionary<string, LedgerLine> receivedLedger = new(StringComparer.Ordinal);
    private readonly Lazy<SharedBodies> approvedBodies;

    /// <summary>Each verified case's transcript with every body in full: accepting a whole run chooses the shared bodies from them.</summary>
    private readonly ConcurrentDictionary<string, string?> receivedTranscripts = new(StringComparer.Ordinal);

    /// <summary>A case's line in its area's ledger.</summary>
    private sealed record LedgerLine(string Area, string Text);

    public FileSnapshotStore(string directory, bool accept, bool writeReceived = true)
    {
        Directory = directory;
        Accept = accept;
        WriteReceived = writeReceived;
        approvedLedger = new Lazy<IReadOnlyDictionary<string, LedgerLine>>(ReadLedgers);
        approvedBodies = new Lazy<SharedBodies>(() => SharedBodies.Read(BodiesPath));
    }

    public string Directory { get; }
    public bool Accept { get; }

    /// <summary>False: only compare (a seed sweep, a bench); no .received file is written.</summary>
    public bool WriteReceived { get; }

    /// <summary>The ledger file of an area: _verdicts.&lt;area&gt; plus the suffix.</summary>
    public static string LedgerFileName(string area, string suffix = VerifiedSuffix) => $"{LedgerName}.{area}{suffix}";

    private string LedgerPath(string area, string suffix) => Path.Combine(Directory, LedgerFileName(area, suffix));

    private string BodiesPath => Path.Combine(Directory, SharedBodies.Name + VerifiedSuffix);

    private IReadOnlyDictionary<string, LedgerLine> ReadLedgers()
    {
        var entries = new Dictionary<string, LedgerLine>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(Directory)) return entries;
        foreach (var file in System.IO.Directory.GetFiles(Directory, LedgerName + ".*" + VerifiedSuffix).Order(StringComparer.Ordinal))
        {
            var area = Path.GetFileName(file)[(LedgerName.Length + 1)..^VerifiedSuffix.Length];
            foreach (var (id, text) in ReadLedger(file)) entries[id] = new LedgerLine(area, text);
        }
        return entries;
    }

    public SnapshotResult Verify(CaseSnapshot snapshot)
    {
        var caseId = snapshot.CaseId;
        if (caseId.Length == 0 || caseId.StartsWith('_') || caseId.IndexOfAny(['/', '\\', ':', ' ']) >= 0 || caseId.Contains("..", StringComparison.Ordinal) || caseId.Any(char.IsControl))
            throw new ArgumentException($"\"{caseId}\" cannot name a snapshot file", nameof(snapshot));
        var verifiedPath = Path.Combine(Directory, caseId + VerifiedSuffix);
        var receivedPath = Path.Combine(Directory, caseId + ReceivedSuffix);
        var full = snapshot.Transcript is null ? null : Normalize(snapshot.Transcript);
        receivedTranscripts[caseId] = full;
        // Bodies the approved catalog holds are compared by their digest line; any other body (a changed one) in full.
        var transcript = full is null ? null : approvedBodies.Value.Apply(full);
        var approvedTranscript = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath, Utf8)) : null;
        var approved = approvedLedger.Value.GetValueOrDefault(caseId)?.Text;
        receivedLedger[caseId] = new LedgerLine(snapshot.Area, snapshot.Ledger);

        var ledgerSame = string.Equals(approved, snapshot.Ledger, StringComparison.Ordinal);
        var transcriptSame = string.Equals(approvedTranscript, transcript, StringComparison.Ordinal);
        if (ledgerSame && transcriptSame)
        {
            // A .received left by an earlier mismatch is stale once the text matches again.
            if (WriteReceived || Accept) File.Delete(receivedPath);
            return new SnapshotResult(caseId, SnapshotStatus.Matched, SnapshotChange.None, verifiedPath, null, null);
        }
        var change = approved is null && approvedTranscript is null ? SnapshotChange.New
            : approved is null || CaseSnapshot.VerdictOf(approved) != snapshot.Verdict ? SnapshotChange.Verdict
            : !ledgerSame ? SnapshotChange.Findings
            : SnapshotChange.Transcript;
        if (Accept)
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (transcript is null) File.Delete(verifiedPath);
            else if (!transcriptSame) File.WriteAllText(verifiedPath, transcript, Utf8);
            File.Delete(receivedPath);
            return new SnapshotResult(caseId, SnapshotStatus.Accepted, change, verifiedPath, null, null);
        }
        var diff = new StringBuilder();
        if (!ledgerSame)
            diff.Append("--- ").Append(LedgerFileName(snapshot.Area)).Append('\n').Append("+++ ").Append(LedgerFileName(snapshot.Area, ReceivedSuffix)).Append('\n')
                .Append('-').Append(approved is null ? "(no line)" : LedgerEntry(caseId, approved)).Append('\n')
                .Append('+').Append(LedgerEntry(caseId, snapshot.Ledger)).Append('\n');
        string? written = null;
        if (!transcriptSame)
        {
            diff.Append(UnifiedDiff.Render($"{caseId}{VerifiedSuffix}{(approvedTranscript is null ? " (none)" : "")}", $"{caseId}{ReceivedSuffix}{(transcript is null ? " (none)" : "")}", approvedTranscript ?? "", transcript ?? ""));
            if (WriteReceived)
            {
                System.IO.Directory.CreateDirectory(Directory);
                // An empty .received says "no transcript any more": accepting it removes the .verified file.
                File.WriteAllText(receivedPath, transcript ?? "", Utf8);
                written = receivedPath;
            }
        }
        return new SnapshotResult(caseId, change == SnapshotChange.New ? SnapshotStatus.New : SnapshotStatus.Changed, change, verifiedPath, written, diff.ToString());
    }

    public SnapshotCompletion Complete(IReadOnlyCollection<string> caseIds, bool wholeCatalog)
    {
        var approved = approvedLedger.Value;
        var merged = new Dictionary<string, LedgerLine>(approved, StringComparer.Ordinal);
        foreach (var (id, line) in receivedLedger) merged[id] = line;
        var orphans = new List<string>();
        if (wholeCatalog)
        {
            var keep = caseIds.ToHashSet(StringComparer.Ordinal);
            var transcripts = System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.GetFiles(Directory, "*" + VerifiedSuffix).Select(f => Path.GetFileName(f)[..^VerifiedSuffix.Length]).Where(id => !id.StartsWith('_'))
                : [];
            orphans = merged.Keys.Concat(transcripts).Where(id => !keep.Contains(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var orphan in orphans) merged.Remove(orphan);
        }
        // Each area's ledger is written (or, not accepting, its .received written) only where its text changed.
        var areas = merged.Values.Select(l => l.Area).Concat(approved.Values.Select(l => l.Area)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var area in areas)
        {
            var before = RenderLedger(approved.Where(kv => kv.Value.Area == area));
            var after = RenderLedger(merged.Where(kv => kv.Value.Area == area));
            var empty = !merged.Values.Any(l => l.Area == area);
            if (Accept)
            {
                System.IO.Directory.CreateDirectory(Directory);
                if (empty) File.Delete(LedgerPath(area, VerifiedSuffix));
                else if (before != after || !File.Exists(LedgerPath(area, VerifiedSuffix))) File.WriteAllText(LedgerPath(area, VerifiedSuffix), after, Utf8);
                File.Delete(LedgerPath(area, ReceivedSuffix));
            }
            else if (WriteReceived)
            {
                if (before == after) File.Delete(LedgerPath(area, ReceivedSuffix));
                else
                {
                    System.IO.Directory.CreateDirectory(Directory);
                    // An empty .received says "this area has no case any more": accepting it removes the ledger.
                    File.WriteAllText(LedgerPath(area, ReceivedSuffix), empty ? "" : after, Utf8);
                }
            }
        }
        if (Accept)
        {
            foreach (var orphan in orphans) File.Delete(Path.Combine(Directory, orphan + VerifiedSuffix));
            DeleteStaleReceived(caseIds);
            if (wholeCatalog) ShareBodies();
        }
        return new SnapshotCompletion(orphans, Accept);
    }

    /// <summary>
    /// Accepting a whole run: chooses the bodies to share from every transcript of the run, writes the catalog
    /// (or removes it when nothing recurs), and rewrites each transcript whose text that changes.
    /// </summary>
    private void ShareBodies()
    {
        var bodies = SharedBodies.Build(receivedTranscripts.Values.OfType<string>());
        var text = bodies.Render();
        if (text.Length == 0) File.Delete(BodiesPath);
        else if (!File.Exists(BodiesPath) || Normalize(File.ReadAllText(BodiesPath, Utf8)) != text) File.WriteAllText(BodiesPath, text, Utf8);
        foreach (var (caseId, full) in receivedTranscripts)
        {
            if (full is null) continue;
            var path = Path.Combine(Directory, caseId + VerifiedSuffix);
            var shared = bodies.Apply(full);
            if (!File.Exists(path) || Normalize(File.ReadAllText(path, Utf8)) != shared) File.WriteAllText(path, shared, Utf8);
        }
    }

    /// <summary>
    /// Approves every pending .received file: moves it over its .verified file (an empty one removes the
    /// .verified file: that case no longer has a transcript). Returns the names (case ids, or the ledger's).
    /// </summary>
    public IReadOnlyList<string> AcceptAllReceived()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var accepted = new List<string>();
        foreach (var received in System.IO.Directory.GetFiles(Directory, "*" + ReceivedSuffix).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(received)[..^ReceivedSuffix.Length];
            var verified = Path.Combine(Directory, id + VerifiedSuffix);
            if (new FileInfo(received).Length == 0)
            {
                File.Delete(verified);
                File.Delete(received);
            }
            else File.Move(received, verified, overwrite: true);
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
            if (keep.Contains(id) || id.StartsWith('_')) continue;
            File.Delete(received);
            deleted.Add(id);
        }
        return deleted;
    }

    /// <summary>The ledger line of a case: its id, padded so the verdicts line up, then its verdict and findings.</summary>
    public static string LedgerEntry(string caseId, string ledger) => $"{caseId.PadRight(LedgerIdWidth)} {ledger}";

    private const int LedgerIdWidth = 60;

    private static string RenderLedger(IEnumerable<KeyValuePair<string, LedgerLine>> entries)
        => LedgerHeader + string.Concat(entries.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => LedgerEntry(kv.Key, kv.Value.Text) + "\n"));

    /// <summary>Reads a ledger; a line that is not "id verdict [findings]" is a clear error naming the file and line.</summary>
    public static IReadOnlyDictionary<string, string> ReadLedger(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return entries;
        var lines = Normalize(File.ReadAllText(path, Utf8)).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rest = space < 0 ? "" : line[space..].TrimStart(' ');
            if (space <= 0 || rest.Length == 0)
                throw new InvalidDataException($"{path}:{i + 1}: a ledger line is \"<case-id> <VERDICT> [findings]\", found \"{line}\"");
            entries[line[..space]] = rest;
        }
        return entries;
    }

    // One form on disk and in memory: LF only, so a checkout with other settings never fakes a change.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
}
