using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// Bounds what a case keeps of a connection's transcript. The response caps bound what one read takes in,
/// but every case's transcript lives until the report is written, so a hostile server answering every
/// case with megabytes would otherwise grow the run's memory (and report.json) with the catalog.
/// </summary>
public static class TranscriptCap
{
    /// <summary>The entries up to <paramref name="maxBytes"/> of data; the rest is replaced by one event that says how much was cut.</summary>
    public static IReadOnlyList<TranscriptEntry> Keep(IReadOnlyList<TranscriptEntry> entries, int maxBytes)
    {
        var kept = new List<TranscriptEntry>(entries.Count);
        long total = 0;
        long droppedBytes = 0;
        var droppedChunks = 0;
        TimeSpan? lastDropped = null;
        foreach (var e in entries)
        {
            if (droppedChunks == 0 && total + e.Bytes.Length <= maxBytes)
            {
                kept.Add(e);
                total += e.Bytes.Length;
                continue;
            }
            if (droppedChunks == 0 && total < maxBytes)
            {
                // Keep the head of the chunk that crosses the cap: the first bytes say the most.
                var room = (int)(maxBytes - total);
                kept.Add(e with { Bytes = e.Bytes[..room], Note = e.Note ?? $"first {room} of {e.Bytes.Length} bytes kept" });
                total = maxBytes;
                droppedBytes += e.Bytes.Length - room;
                droppedChunks++;
                lastDropped = e.At;
                continue;
            }
            // Events after the cut are still kept (closes, resets, timeouts): they are small and explain the end.
            if (e.Bytes.Length == 0)
            {
                kept.Add(e);
                continue;
            }
            droppedBytes += e.Bytes.Length;
            droppedChunks++;
            lastDropped = e.At;
        }
        if (droppedChunks > 0)
        {
            var note = $"transcript cut at {maxBytes} bytes: {droppedBytes} more bytes in {droppedChunks} chunk(s) were not kept";
            var at = kept.FindIndex(e => e.At > lastDropped);
            var cut = new TranscriptEntry(Direction.Event, [], lastDropped!.Value, note);
            if (at < 0) kept.Add(cut);
            else kept.Insert(at, cut);
        }
        return kept;
    }
}
