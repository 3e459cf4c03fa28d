using System.Text.RegularExpressions;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>
/// Selects cases by comma-separated terms; a case is kept when any term matches its area, its level
/// (MUST/SHOULD/MAY) or its id (with * wildcards).
/// </summary>
public static class CaseFilter
{
    public static IReadOnlyList<ConformanceCase> Apply(IReadOnlyList<ConformanceCase> cases, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return cases;
        var terms = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var patterns = terms.Select(t => new Regex("^" + Regex.Escape(t).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)).ToList();
        var kept = cases.Where(c => terms.Contains(c.Area, StringComparer.Ordinal)
            || terms.Contains(c.Level.ToKeyword(), StringComparer.Ordinal)
            || patterns.Any(p => p.IsMatch(c.Id))).ToList();
        if (kept.Count == 0)
            throw new UsageException($"the filter \"{filter}\" selects no case; use areas ({string.Join(", ", cases.Select(c => c.Area).Distinct().Order(StringComparer.Ordinal))}), levels (MUST, SHOULD, MAY) or case ids with * wildcards");
        return kept;
    }
}
