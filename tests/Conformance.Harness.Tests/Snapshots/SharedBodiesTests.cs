using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>
/// Recurring bodies are written once per server and named by digest in the transcripts; what the gate must still
/// catch is any change in the bytes of such a body.
/// </summary>
public sealed class SharedBodiesTests
{
    private string dir = "";

    [SetUp]
    public void CreateFolder() => dir = TestReports.TempDir();

    private const string Head = "< HTTP/1.1 400 Bad Request\\r\\n\n< Content-Length: 37\\r\\n\n< \\r\\n\n";
    private const string Page = "< <html>\\r\\n\n< <head><title>400 Bad Request</title></head>\\r\\n\n< </html>\\r\\n\n";

    private static CaseSnapshot Snap(string id, string transcript) => new(id, "test", "PASS", "PASS", transcript);

    /// <summary>Accepts a whole run of three cases answered with the same page, and a fourth with a page of its own.</summary>
    private void AcceptFourCases()
    {
        var accepting = new FileSnapshotStore(dir, accept: true);
        foreach (var id in new[] { "case-a", "case-b", "case-c" }) accepting.Verify(Snap(id, "> [fixture send 1: 3 lines]\n" + Head + Page));
        accepting.Verify(Snap("case-d", "> [fixture send 1: 3 lines]\n" + Head + "< <p>only here</p>\\r\\n\n< <p>and here</p>\\r\\n\n"));
        accepting.Complete(["case-a", "case-b", "case-c", "case-d"], wholeCatalog: true);
    }

    [Test]
    public void A_body_in_three_cases_is_written_once_and_named_by_digest_while_a_body_of_one_case_stays_in_it()
    {
        AcceptFourCases();
        var catalog = File.ReadAllText(Path.Combine(dir, SharedBodies.Name + FileSnapshotStore.VerifiedSuffix));
        var transcript = File.ReadAllText(Path.Combine(dir, "case-a" + FileSnapshotStore.VerifiedSuffix));
        var reference = SharedBodies.Reference(SharedBodies.Digest(Page.TrimEnd('\n').Split('\n')), Page.TrimEnd('\n').Split('\n'));
        Assert.Multiple(() =>
        {
            Assert.That(catalog, Does.Contain(Page), "the page is kept once, in full");
            Assert.That(transcript, Is.EqualTo("> [fixture send 1: 3 lines]\n" + Head + reference + "\n"));
            Assert.That(reference, Does.Contain("<title>400 Bad Request</title>"), "the reference shows the reader which page it is");
            Assert.That(File.ReadAllText(Path.Combine(dir, "case-d" + FileSnapshotStore.VerifiedSuffix)), Does.Contain("only here"));
        });
        var verifying = new FileSnapshotStore(dir, accept: false);
        foreach (var id in new[] { "case-a", "case-b", "case-c" })
            Assert.That(verifying.Verify(Snap(id, "> [fixture send 1: 3 lines]\n" + Head + Page)).Status, Is.EqualTo(SnapshotStatus.Matched));
        Assert.That(verifying.Complete(["case-a", "case-b", "case-c", "case-d"], true).Orphans, Is.Empty, "the catalog is not a case");
    }

    [TestCase("< <head><title>400 Bad Request</title></head>\\r\\n", "< <head><title>400 Bad Request </title></head>\\r\\n")]
    [TestCase("< </html>\\r\\n", "< </html>\\n")]
    [TestCase("< </html>\\r\\n\n", "< </html>\\r\\n\n< extra\\r\\n\n")]
    public void A_one_byte_change_in_a_digested_body_is_a_transcript_change_that_shows_the_new_bytes(string before, string after)
    {
        AcceptFourCases();
        var changedPage = Page.Replace(before, after, StringComparison.Ordinal);
        Assert.That(changedPage, Is.Not.EqualTo(Page));
        var store = new FileSnapshotStore(dir, accept: false);
        var r = store.Verify(Snap("case-b", "> [fixture send 1: 3 lines]\n" + Head + changedPage));
        Assert.Multiple(() =>
        {
            Assert.That(r.Status, Is.EqualTo(SnapshotStatus.Changed));
            Assert.That(r.Change, Is.EqualTo(SnapshotChange.Transcript));
            Assert.That(r.Diff, Does.Contain("-< [body ").And.Contain("+" + after.TrimEnd('\n').Split('\n')[^1]), "the diff replaces the reference by the new bytes");
        });
        Assert.That(store.Verify(Snap("case-c", "> [fixture send 1: 3 lines]\n" + Head + Page)).Status, Is.EqualTo(SnapshotStatus.Matched), "the other cases still match");
    }

    [Test]
    public void Accepting_the_changed_body_rewrites_the_catalog_and_the_gate_then_matches()
    {
        AcceptFourCases();
        var newPage = Page.Replace("400 Bad Request", "400 Nope", StringComparison.Ordinal);
        var accepting = new FileSnapshotStore(dir, accept: true);
        foreach (var id in new[] { "case-a", "case-b", "case-c" }) accepting.Verify(Snap(id, "> [fixture send 1: 3 lines]\n" + Head + newPage));
        accepting.Verify(Snap("case-d", "> [fixture send 1: 3 lines]\n" + Head + "< <p>only here</p>\\r\\n\n< <p>and here</p>\\r\\n\n"));
        accepting.Complete(["case-a", "case-b", "case-c", "case-d"], wholeCatalog: true);
        var catalog = File.ReadAllText(Path.Combine(dir, SharedBodies.Name + FileSnapshotStore.VerifiedSuffix));
        Assert.That(catalog, Does.Contain("400 Nope").And.Not.Contain("400 Bad Request</title>"), "the old page left the catalog");
        Assert.That(File.ReadAllText(Path.Combine(dir, "case-a" + FileSnapshotStore.VerifiedSuffix)), Does.Contain("< [body ").And.Not.Contain("<html>"));
        Assert.That(new FileSnapshotStore(dir, accept: false).Verify(Snap("case-b", "> [fixture send 1: 3 lines]\n" + Head + newPage)).Status, Is.EqualTo(SnapshotStatus.Matched));
    }

    [Test]
    public void A_catalog_entry_edited_by_hand_is_a_clear_error_naming_the_file_and_line()
    {
        AcceptFourCases();
        var path = Path.Combine(dir, SharedBodies.Name + FileSnapshotStore.VerifiedSuffix);
        File.WriteAllText(path, File.ReadAllText(path).Replace("</html>", "</HTML>", StringComparison.Ordinal));
        Assert.That(() => SharedBodies.Read(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains(path + ":3").And.Message.Contains("digest"));
    }

    [Test]
    public void Bodies_are_found_after_each_head_and_end_at_the_next_message_or_summary_line()
    {
        string[] lines =
        [
            "> [fixture send 1: 3 lines]", "< HTTP/1.1 200 OK\\r\\n", "< \\r\\n", "< a\\n", "< b\\n",
            "< HTTP/1.1 204 No Content\\r\\n", "< \\r\\n",
            "< HTTP/1.1 200 OK\\r\\n", "< \\r\\n", "< c\\n", "< [same as response 1: 4 lines]", "* x", "",
        ];
        Assert.That(SharedBodies.Find(lines), Is.EqualTo(new[] { (3, 2), (9, 1) }));
    }
}

public sealed class LivenessLineTests
{
    private static ConnectionReport Probe(string answer) => TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", answer) with { Purpose = Conformance.Harness.Engine.LivenessProbe.Rule };

    [Test]
    public void A_plain_200_probe_is_left_out_and_any_other_answer_is_written()
    {
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000" });
        var main = TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", "HTTP/1.1 400 Bad Request\\r\\n\\r\\n");
        var healthy = SnapshotRenderer.Render(TestReports.Case("probe", "PASS", connections: [main, Probe("HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n")]), null, scrubber);
        var sick = SnapshotRenderer.Render(TestReports.Case("probe", "PASS", connections: [main, Probe("HTTP/1.1 503 Service Unavailable\\r\\n\\r\\n")]), null, scrubber);
        Assert.That(healthy.Transcript, Does.Not.Contain("liveness"));
        Assert.That(sick.Transcript, Does.Contain("connection: liveness -> HTTP/1.1 503 Service Unavailable\\r\\n"));
        Assert.That(sick.Transcript, Is.Not.EqualTo(healthy.Transcript), "a probe that stops getting 200 changes the snapshot");
    }
}
