using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// Bounds what a case keeps of what a server sent on one connection. The response caps bound what one read
/// takes in, but every case's transcript lives until the report is written, so a hostile server answering
/// every case with megabytes would otherwise grow the run's memory (and report.json) with the catalog.
/// Sent bytes are the fixture's own and always kept: a case that sends a megabyte of headers must still
/// show the server's answer to it.
/// </summary>
public static class TranscriptCap
{
    /// <summary>The entries with at most <paramref name="maxReceivedBytes"/> of received data; the rest is replaced by one event that says how much was cut.</summary>
    public static IReadOnlyList<TranscriptEntry> Keep(IReadOnlyList<TranscriptEntry> entries, int maxReceivedBytes)
    {
        var kept = new List<TranscriptEntry>(entries.Count);
        long received = 0;
        long droppedBytes = 0;
        var droppedChunks = 0;
        var cutAt = -1;
        foreach (var e in entries)
        {
            if (e.Direction != Direction.Received)
            {
                kept.Add(e);
                continue;
            }
            if (received + e.Bytes.Length <= maxReceivedBytes)
            {
                kept.Add(e);
                received += e.Bytes.Length;
                continue;
            }
            // Keep the head of the chunk that crosses the cap: the first bytes say the most.
            var room = (int)(maxReceivedBytes - received);
            if (room > 0)
            {
                kept.Add(e with { Bytes = e.Bytes[..room], Note = e.Note ?? $"first {room} of {e.Bytes.Length} bytes kept" });
                received = maxReceivedBytes;
            }
            if (cutAt < 0) cutAt = kept.Count;
            droppedBytes += e.Bytes.Length - Math.Max(room, 0);
            droppedChunks++;
        }
        if (droppedChunks > 0)
        {
            var at = cutAt < kept.Count ? kept[cutAt].At : kept.Count > 0 ? kept[^1].At : TimeSpan.Zero;
            kept.Insert(cutAt, new TranscriptEntry(Direction.Event, [], at,
                $"transcript cut at {maxReceivedBytes} received bytes: {droppedBytes} more bytes in {droppedChunks} chunk(s) were not kept"));
        }
        return kept;
    }
}
