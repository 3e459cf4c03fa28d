namespace Conformance.Harness.Model;

/// <summary>"Did you mean": the valid name closest to a misspelt one, for messages in the user's words.</summary>
public static class NearestName
{
    /// <summary>
    /// The candidate nearest to <paramref name="given"/> by edit distance (case-insensitive), or null when none is
    /// close enough to be a plausible typo: at most a third of the longer name's letters differ, and never more
    /// than three, so "--serer" suggests "--server" while "--fast" suggests nothing.
    /// </summary>
    public static string? Find(string given, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            var allowed = Math.Min(3, Math.Max(1, Math.Max(given.Length, candidate.Length) / 3));
            if (distance <= allowed && distance < bestDistance && distance > 0)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>"; did you mean 'x'?" or "" when nothing is close.</summary>
    public static string Hint(string given, IEnumerable<string> candidates)
        => Find(given, candidates) is { } near ? $"; did you mean '{near}'?" : "";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
