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

    [Test]
    public void A_missing_verified_file_is_a_new_mismatch_with_a_received_file()
    {
        var r = new FileSnapshotStore(dir, accept: false).Verify("case-a", "verdict: PASS\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.Status, Is.EqualTo(SnapshotStatus.New));
            Assert.That(r.Ok, Is.False);
            Assert.That(File.ReadAllText(Received("case-a")), Is.EqualTo("verdict: PASS\n"));
            Assert.That(File.Exists(Verified("case-a")), Is.False);
            Assert.That(r.Describe(), Does.Contain("case-a").And.Contain("--accept"));
        });
    }

    [Test]
    public void Accepting_writes_verified_and_then_it_matches()
    {
        Assert.That(new FileSnapshotStore(dir, accept: true).Verify("case-a", "one\ntwo\n").Status, Is.EqualTo(SnapshotStatus.Accepted));
        Assert.That(File.ReadAllText(Verified("case-a")), Is.EqualTo("one\ntwo\n"));
        Assert.That(new FileSnapshotStore(dir, accept: false).Verify("case-a", "one\r\ntwo\r\n").Status, Is.EqualTo(SnapshotStatus.Matched), "CRLF in memory must not fake a change");
    }

    [Test]
    public void A_change_writes_received_and_a_unified_diff_naming_the_case()
    {
        File.WriteAllText(Verified("case-b"), "a\nb\nc\nd\ne\nf\ng\nh\n");
        var r = new FileSnapshotStore(dir, accept: false).Verify("case-b", "a\nb\nc\nd\nE\nf\ng\nh\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.Status, Is.EqualTo(SnapshotStatus.Changed));
            Assert.That(File.ReadAllText(Received("case-b")), Does.Contain("E"));
            Assert.That(File.ReadAllText(Verified("case-b")), Does.Contain("e\n"), "the approved file is untouched");
            Assert.That(r.Diff, Is.EqualTo("--- case-b.verified.txt\n+++ case-b.received.txt\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"));
        });
    }

    [Test]
    public void A_match_deletes_a_stale_received_file_and_accept_clears_it()
    {
        File.WriteAllText(Verified("case-c"), "x\n");
        File.WriteAllText(Received("case-c"), "old mismatch\n");
        Assert.That(new FileSnapshotStore(dir, false).Verify("case-c", "x\n").Status, Is.EqualTo(SnapshotStatus.Matched));
        Assert.That(File.Exists(Received("case-c")), Is.False);

        new FileSnapshotStore(dir, false).Verify("case-c", "y\n");
        Assert.That(File.Exists(Received("case-c")), Is.True);
        new FileSnapshotStore(dir, true).Verify("case-c", "y\n");
        Assert.That(File.Exists(Received("case-c")), Is.False);
        Assert.That(File.ReadAllText(Verified("case-c")), Is.EqualTo("y\n"));
    }

    [Test]
    public void AcceptAllReceived_moves_received_over_verified()
    {
        var store = new FileSnapshotStore(dir, false);
        store.Verify("case-d", "new\n");
        Assert.That(store.AcceptAllReceived(), Is.EqualTo(new[] { "case-d" }));
        Assert.That(File.ReadAllText(Verified("case-d")), Is.EqualTo("new\n"));
        Assert.That(File.Exists(Received("case-d")), Is.False);
    }

    [Test]
    public void Case_ids_cannot_escape_the_folder()
        => Assert.That(() => new FileSnapshotStore(dir, true).Verify("../evil", "x"), Throws.ArgumentException);

    [Test]
    public void Run_gate_verifies_every_case_and_accepting_removes_stale_received_and_reports_orphans()
    {
        var report = TestReports.Mixed();
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000" });
        File.WriteAllText(Received("removed-case"), "stale\n");
        File.WriteAllText(Verified("orphan-case"), "old\n");

        var first = Baselines.VerifyRun(report, new FileSnapshotStore(dir, false), scrubber);
        Assert.That(first.Ok, Is.False);
        Assert.That(first.Mismatches, Has.Count.EqualTo(report.Cases.Count));

        var accepted = Baselines.VerifyRun(report, new FileSnapshotStore(dir, true), scrubber);
        Assert.That(accepted.Ok, Is.True);
        Assert.That(File.Exists(Received("removed-case")), Is.False);
        Assert.That(accepted.Orphans, Is.EqualTo(new[] { "orphan-case" }));
        Assert.That(Directory.GetFiles(dir, "*.received.txt"), Is.Empty);

        Assert.That(Baselines.VerifyRun(report, new FileSnapshotStore(dir, false), scrubber).Ok, Is.True);
        var changed = TestReports.Report([.. report.Cases.Select(c => c.Id == "pass-one" ? c with { Verdict = "FAIL" } : c)]);
        var gate = Baselines.VerifyRun(changed, new FileSnapshotStore(dir, false), scrubber);
        Assert.That(gate.Mismatches.Select(m => m.CaseId), Is.EqualTo(new[] { "pass-one" }));
        Assert.That(gate.Mismatches[0].Diff, Does.Contain("-verdict: PASS").And.Contain("+verdict: FAIL"));
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
    public void Holds_verdict_rule_ids_and_the_scrubbed_transcript_with_visible_line_ends()
    {
        var c = TestReports.Case("split", "FAIL",
            findings: [TestReports.Finding("FAIL", "outcome"), TestReports.Finding("WARN", "grammar.date")],
            connections: [TestReports.Connection("GET / HTTP/1.1\\r\\nHost: 127.0.0.1:5000\\r\\n\\r\\n", "HTTP/1.1 200 OK\\r\\nDa", "te: Tue, 07 Jan 2025 10:00:00 GMT\\r\\n\\r\\n")]);
        var text = CaseSnapshot.Render(c, new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000" }));
        Assert.That(text, Is.EqualTo(
            "case: split\nverdict: FAIL\nfindings:\n  FAIL outcome\n  WARN grammar.date\nconnection: main\n" +
            "> GET / HTTP/1.1\\r\\n\n> Host: {host}\\r\\n\n> \\r\\n\n" +
            "< HTTP/1.1 200 OK\\r\\n\n< Date: {date}\\r\\n\n< \\r\\n\n"));
        Assert.That(text, Does.Not.Contain("\r"));
    }

    [Test]
    public void Truncation_is_marked()
    {
        var c = TestReports.Case("big", "PASS", connections: [new ConnectionReport("main", [new TranscriptLine { Direction = "received", AtMs = 1, Text = "xyz", Bytes = 100_000, Truncated = true }])]);
        Assert.That(CaseSnapshot.Render(c, new SnapshotScrubber(new ScrubContext())), Does.Contain("< [truncated"));
    }
}
