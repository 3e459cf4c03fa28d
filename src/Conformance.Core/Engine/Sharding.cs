using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Engine;

/// <summary>
/// One slice of the catalog for a CI matrix: "--shard 2/4" runs the cases whose id hashes to the second
/// of four buckets. A case's bucket depends on its id alone (SHA-256, not string.GetHashCode, which is
/// randomised per process), so adding or removing other cases never moves it, and the n shards of one
/// catalog are disjoint and together hold every case.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public const int MaxCount = 1024;

    /// <summary>Parses "k/n" with 1 ≤ k ≤ n ≤ <see cref="MaxCount"/>; a bad value is a <see cref="UsageException"/> naming <paramref name="name"/>.</summary>
    public static Shard Parse(string text, string name)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= MaxCount && k >= 1 && k <= n)
        {
            return new Shard(k, n);
        }
        throw new UsageException($"{name}: expected k/n with 1 <= k <= n <= {MaxCount}, e.g. 2/4, got \"{text}\"");
    }

    /// <summary>True when the case with this id belongs to this shard.</summary>
    public bool Holds(string caseId) => Bucket(caseId, Count) == Index - 1;

    /// <summary>The cases of this shard, in their input order.</summary>
    public IReadOnlyList<ConformanceCase> Select(IReadOnlyList<ConformanceCase> cases) => cases.Where(c => Holds(c.Id)).ToList();

    public static int Bucket(string caseId, int count)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(caseId), hash);
        var value = (uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]);
        return (int)(value % (uint)count);
    }

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";
}
