using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Snapshots;

public sealed class FileSnapshotStoreTests
{
    private string dir = "";

    [SetUp]
    public void CreateFolder() => dir = TestReports.TempDir();

    private string Verified(string id) => Path.Combine(dir, id + FileSnapshotStore.VerifiedSuffix);
    private string Received(string id) => Path.Combine(dir, id + FileSnapshotStore.ReceivedSuffix);

    private static CaseSnapshot Snap(string id, string? transcript, string verdict = "PASS", params string[] findings)
        => new(id, "test", verdict, CaseSnapshot.LedgerLine(verdict, findings), transcript);

    [Test]
    public void A_case_without_an_approved_snapshot_is_new_with_a_received_file()
    {
        var store = new FileSnapshotStore(dir, accept: false);
        var r = store.Verify(Snap("case-a", "< HTTP/1.1 200 OK\\r\\n\n"));
        store.Complete(["case-a"], wholeCatalog: true);
        Assert.Multiple(() =>
        {
            Assert.That(r.Status, Is.EqualTo(SnapshotStatus.New));
            Assert.That(r.Change, Is.EqualTo(SnapshotChange.New));
            Assert.That(r.Ok, Is.False);
            Assert.That(File.ReadAllText(Received("case-a")), Is.EqualTo("< HTTP/1.1 200 OK\\r\\n\n"));
            Assert.That(File.Exists(Verified("case-a")), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(dir, FileSnapshotStore.LedgerFileName("test", FileSnapshotStore.ReceivedSuffix))), Does.Contain("case-a").And.Contain("PASS"));
            Assert.That(r.Describe(), Does.Contain("case-a").And.Contain("--accept"));
        });
    }

    [Test]
    public void Accepting_writes_the_ledger_and_the_transcript_and_then_they_match()
    {
        var accepting = new FileSnapshotStore(dir, accept: true);
        Assert.That(accepting.Verify(Snap("case-a", "one\ntwo\n", "FAIL", "FAIL outcome", "WARN grammar.date")).Status, Is.EqualTo(SnapshotStatus.Accepted));
        Assert.That(accepting.Verify(Snap("case-s", null, "SKIP")).Status, Is.EqualTo(SnapshotStatus.Accepted));
        accepting.Complete(["case-a", "case-s"], wholeCatalog: true);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Verified("case-a")), Is.EqualTo("one\ntwo\n"));
            Assert.That(File.Exists(Verified("case-s")), Is.False, "a case skipped up front is a ledger line, not a file");
            Assert.That(File.ReadAllLines(Path.Combine(dir, FileSnapshotStore.LedgerFileName("test"))).Skip(1).Select(l => System.Text.RegularExpressions.Regex.Replace(l, " +", " ")),
                Is.EqualTo(new[] { "case-a FAIL FAIL outcome, WARN grammar.date", "case-s SKIP" }));
        });
        var verifying = new FileSnapshotStore(dir, accept: false);
        Assert.That(verifying.Verify(Snap("case-a", "one\r\ntwo\r\n", "FAIL", "FAIL outcome", "WARN grammar.date")).Status, Is.EqualTo(SnapshotStatus.Matched), "CRLF in memory must not fake a change");
        Assert.That(verifying.Verify(Snap("case-s", null, "SKIP")).Status, Is.EqualTo(SnapshotStatus.Matched));
        Assert.That(verifying.Complete(["case-a", "case-s"], true).Orphans, Is.Empty);
        Assert.That(Directory.GetFiles(dir, "*" + FileSnapshotStore.ReceivedSuffix), Is.Empty);
    }

    [TestCase("FAIL", "none", SnapshotChange.Verdict)]
    [TestCase("PASS", "WARN grammar.date", SnapshotChange.Findings)]
    [TestCase("PASS", "none", SnapshotChange.Transcript)]
    public void Each_kind_of_change_is_told_apart(string verdict, string finding, SnapshotChange expected)
    {
        var accepting = new FileSnapshotStore(dir, accept: true);
        accepting.Verify(Snap("case-b", "a\nb\nc\nd\ne\nf\ng\nh\n"));
        accepting.Complete(["case-b"], true);
        var transcript = expected == SnapshotChange.Transcript ? "a\nb\nc\nd\nE\nf\ng\nh\n" : "a\nb\nc\nd\ne\nf\ng\nh\n";
        var r = new FileSnapshotStore(dir, accept: false).Verify(Snap("case-b", transcript, verdict, finding == "none" ? [] : [finding]));
        Assert.Multiple(() =>
        {
            Assert.That(r.Status, Is.EqualTo(SnapshotStatus.Changed));
            Assert.That(r.Change, Is.EqualTo(expected));
            Assert.That(File.ReadAllText(Verified("case-b")), Does.Contain("e\n"), "the approved file is untouched");
        });
        if (expected == SnapshotChange.Transcript)
            Assert.That(r.Diff, Is.EqualTo("--- case-b.verified.txt\n+++ case-b.received.txt\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"));
        else
            Assert.That(r.Diff, Does.StartWith("--- _verdicts.test.verified.txt\n+++ _verdicts.test.received.txt\n-case-b ").And.Contain("\n+case-b ").And.Contain(verdict));
    }

    [Test]
    public void A_match_deletes_a_stale_received_file_and_accept_clears_it()
    {
        var accepting = new FileSnapshotStore(dir, true);
        accepting.Verify(Snap("case-c", "x\n"));
        accepting.Complete(["case-c"], true);
        File.WriteAllText(Received("case-c"), "old mismatch\n");
        Assert.That(new FileSnapshotStore(dir, false).Verify(Snap("case-c", "x\n")).Status, Is.EqualTo(SnapshotStatus.Matched));
        Assert.That(File.Exists(Received("case-c")), Is.False);

        new FileSnapshotStore(dir, false).Verify(Snap("case-c", "y\n"));
        Assert.That(File.Exists(Received("case-c")), Is.True);
        new FileSnapshotStore(dir, true).Verify(Snap("case-c", "y\n"));
        Assert.That(File.Exists(Received("case-c")), Is.False);
        Assert.That(File.ReadAllText(Verified("case-c")), Is.EqualTo("y\n"));
    }

    [Test]
    public void A_read_only_store_compares_without_writing()
    {
        var r = new FileSnapshotStore(dir, accept: false, writeReceived: false).Verify(Snap("case-r", "x\n"));
        Assert.That(r.Ok, Is.False);
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void AcceptAllReceived_moves_received_over_verified_and_an_empty_one_removes_it()
    {
        var accepting = new FileSnapshotStore(dir, true);
        accepting.Verify(Snap("case-e", "old\n"));
        accepting.Complete(["case-e"], true);
        var store = new FileSnapshotStore(dir, false);
        store.Verify(Snap("case-d", "new\n"));
        store.Verify(Snap("case-e", null, "SKIP"));
        store.Complete(["case-d", "case-e"], true);
        Assert.That(store.AcceptAllReceived(), Is.EqualTo(new[] { "_verdicts.test", "case-d", "case-e" }));
        Assert.That(File.ReadAllText(Verified("case-d")), Is.EqualTo("new\n"));
        Assert.That(File.Exists(Verified("case-e")), Is.False);
        Assert.That(Directory.GetFiles(dir, "*" + FileSnapshotStore.ReceivedSuffix), Is.Empty);
        var again = new FileSnapshotStore(dir, false);
        Assert.That(again.Verify(Snap("case-d", "new\n")).Ok && again.Verify(Snap("case-e", null, "SKIP")).Ok, Is.True);
    }

    [Test]
    public void Case_ids_cannot_escape_the_folder_or_take_the_ledgers_name()
    {
        Assert.That(() => new FileSnapshotStore(dir, true).Verify(Snap("../evil", "x")), Throws.ArgumentException);
        Assert.That(() => new FileSnapshotStore(dir, true).Verify(Snap("_verdicts.test", "x")), Throws.ArgumentException);
    }

    [Test]
    public void A_malformed_ledger_line_names_the_file_and_line()
    {
        File.WriteAllText(Path.Combine(dir, FileSnapshotStore.LedgerFileName("test")), "# header\ncase-a PASS\nbroken\n");
        Assert.That(() => new FileSnapshotStore(dir, false).Verify(Snap("case-a", null)),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("_verdicts.test.verified.txt:3"));
    }

    [Test]
    public void Run_gate_counts_changes_by_kind_and_accepting_removes_orphans_and_stale_received()
    {
        var report = TestReports.Mixed();
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000" });
        File.WriteAllText(Received("removed-case"), "stale\n");
        File.WriteAllText(Verified("orphan-case"), "old\n");

        var first = Baselines.VerifyRun(report, new FileSnapshotStore(dir, false), scrubber);
        Assert.That(first.Ok, Is.False);
        Assert.That(first.Mismatches, Has.Count.EqualTo(report.Cases.Count));
        Assert.That(first.VerdictChanges, Is.EqualTo(report.Cases.Count + 1), "every case is new, and the orphan is lost coverage");

        var accepted = Baselines.VerifyRun(report, new FileSnapshotStore(dir, true), scrubber);
        Assert.That(accepted.Ok, Is.True);
        Assert.That(accepted.Orphans, Is.EqualTo(new[] { "orphan-case" }));
        Assert.That(File.Exists(Verified("orphan-case")), Is.False, "accepting a whole run drops the baseline of a removed case");
        Assert.That(Directory.GetFiles(dir, "*.received.txt"), Is.Empty);

        Assert.That(Baselines.VerifyRun(report, new FileSnapshotStore(dir, false), scrubber).Ok, Is.True);
        var changed = TestReports.Report([.. report.Cases.Select(c => c.Id == "pass-one" ? c with { Verdict = "FAIL" } : c.Id == "info-one" ? c with { Connections = [TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", "HTTP/1.1 500 Oops\\r\\n\\r\\n")] } : c)]);
        var gate = Baselines.VerifyRun(changed, new FileSnapshotStore(dir, false), scrubber);
        Assert.That(gate.Mismatches.Select(m => m.CaseId), Is.EqualTo(new[] { "pass-one", "info-one" }));
        Assert.That((gate.VerdictChanges, gate.FindingChanges, gate.TranscriptChanges), Is.EqualTo((1, 0, 1)));
        Assert.That(gate.Mismatches[0].Diff, Does.Contain("-pass-one").And.Contain("+pass-one").And.Contain("FAIL"));
        Assert.That(gate.Mismatches[1].Diff, Does.Contain("+< HTTP/1.1 500 Oops"));
    }

    [Test]
    public void Accept_comes_from_CONFORMANCE_ACCEPT()
    {
        Assert.That(Baselines.AcceptFromEnvironment(_ => "true"), Is.True);
        Assert.That(Baselines.AcceptFromEnvironment(_ => null), Is.False);
        Assert.That(() => Baselines.AcceptFromEnvironment(_ => "maybe"), Throws.TypeOf<Conformance.Harness.Engine.UsageException>());
    }
}

public sealed class CaseSnapshotTests
{
    [Test]
    public void Holds_the_ledger_line_and_the_scrubbed_transcript_with_visible_line_ends()
    {
        var c = TestReports.Case("split", "FAIL",
            findings: [TestReports.Finding("FAIL", "outcome"), TestReports.Finding("WARN", "grammar.date")],
            connections: [TestReports.Connection("GET / HTTP/1.1\\r\\nHost: 127.0.0.1:5000\\r\\n\\r\\n", "HTTP/1.1 200 OK\\r\\nDa", "te: Tue, 07 Jan 2025 10:00:00 GMT\\r\\n\\r\\n")]);
        var snapshot = SnapshotRenderer.Render(c, null, new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000" }));
        Assert.That(snapshot.Ledger, Is.EqualTo("FAIL   FAIL outcome, WARN grammar.date"));
        Assert.That(snapshot.Transcript, Is.EqualTo(
            "connection: main\n" +
            "> GET / HTTP/1.1\\r\\n\n> Host: {host}\\r\\n\n> \\r\\n\n" +
            "< HTTP/1.1 200 OK\\r\\n\n< Date: {date}\\r\\n\n< \\r\\n\n"));
        Assert.That(snapshot.Transcript, Does.Not.Contain("\r"));
    }

    [Test]
    public void Truncation_is_marked()
    {
        var c = TestReports.Case("big", "PASS", connections: [new ConnectionReport("main", [new TranscriptLine { Direction = "received", AtMs = 1, Text = "xyz", Bytes = 100_000, Truncated = true }])]);
        Assert.That(SnapshotRenderer.Render(c, null, new SnapshotScrubber(new ScrubContext())).Transcript, Does.Contain("< [truncated"));
    }
}
