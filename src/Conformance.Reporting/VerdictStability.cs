namespace Conformance.Harness.Reports;

/// <summary>
/// Compares the verdicts of repeated runs against the same server. Any case whose verdict differs between
/// runs is a harness bug (a timing race), never something to retry until it passes.
/// </summary>
public static class VerdictStability
{
    /// <summary>A case that did not get the same verdict in every run: its verdict per run, in run order ("-" when it was absent).</summary>
    public sealed record Flip(string CaseId, IReadOnlyList<string> Verdicts)
    {
        public override string ToString() => $"{CaseId}: {string.Join(" ", Verdicts)}";
    }

    public static IReadOnlyList<Flip> Compare(IReadOnlyList<RunReport> runs)
    {
        var ids = runs.SelectMany(r => r.Cases.Select(c => c.Id)).Distinct(StringComparer.Ordinal).ToList();
        var byRun = runs.Select(r => r.Cases.ToDictionary(c => c.Id, c => c.Verdict, StringComparer.Ordinal)).ToList();
        return ids
            .Select(id => new Flip(id, byRun.Select(v => v.GetValueOrDefault(id) ?? "-").ToList()))
            .Where(f => f.Verdicts.Distinct(StringComparer.Ordinal).Count() > 1)
            .ToList();
    }
}
