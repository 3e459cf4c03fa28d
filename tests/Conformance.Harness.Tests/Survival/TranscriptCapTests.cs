using Conformance.Harness.Engine;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Survival;

/// <summary>The transcript cap bounds what the server sent, keeps what the case sent, and says what it cut.</summary>
public sealed class TranscriptCapTests
{
    private static TranscriptEntry Entry(Direction d, int bytes, int atMs) => new(d, new byte[bytes], TimeSpan.FromMilliseconds(atMs));

    [Test]
    public void Received_bytes_past_the_cap_are_cut_and_the_cut_is_marked_where_it_happened()
    {
        var kept = TranscriptCap.Keep(
        [
            Entry(Direction.Sent, 100, 1),
            Entry(Direction.Received, 600, 2),
            Entry(Direction.Received, 600, 3),
            Entry(Direction.Received, 600, 4),
            new TranscriptEntry(Direction.Event, [], TimeSpan.FromMilliseconds(5), "server closed the connection"),
        ], 1000);
        Assert.That(kept.Where(e => e.Direction == Direction.Received).Sum(e => e.Bytes.Length), Is.EqualTo(1000));
        Assert.That(kept.Select(e => e.Note ?? ""), Has.Some.EqualTo("transcript cut at 1000 received bytes: 800 more bytes in 2 chunk(s) were not kept"));
        Assert.That(kept[^1].Note, Is.EqualTo("server closed the connection"), "events after the cut are kept");
    }

    [Test]
    public void Sent_bytes_are_never_cut_so_the_answer_to_a_huge_request_stays_visible()
    {
        var kept = TranscriptCap.Keep([Entry(Direction.Sent, 5000, 1), Entry(Direction.Received, 50, 2)], 1000);
        Assert.That(kept.Select(e => e.Bytes.Length), Is.EqualTo(new[] { 5000, 50 }));
    }
}
