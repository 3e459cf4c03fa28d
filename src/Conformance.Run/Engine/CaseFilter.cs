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
    /// <summary>
    /// The fixture cases the filter selects. A filter that selects only browser cases (e.g. "browser") selects
    /// no fixture case without being an error; one that selects nothing at all is (exit 2).
    /// </summary>
    public static IReadOnlyList<ConformanceCase> Apply(IReadOnlyList<ConformanceCase> cases, string? filter)
    {
        var kept = Select(cases, filter);
        if (kept.Count == 0 && Select(Browser.BrowserCatalog.Cases, filter).Count == 0)
            throw new UsageException($"the filter \"{filter}\" selects no case; use areas ({string.Join(", ", cases.Concat(Browser.BrowserCatalog.Cases).Select(c => c.Area).Distinct().Order(StringComparer.Ordinal))}), levels (MUST, SHOULD, MAY) or case ids with * wildcards");
        return kept;
    }

    /// <summary>The cases the filter selects, possibly none (the browser cases are selected with this).</summary>
    public static IReadOnlyList<ConformanceCase> Select(IReadOnlyList<ConformanceCase> cases, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return cases;
        var terms = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var patterns = terms.Select(t => new Regex("^" + Regex.Escape(t).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)).ToList();
        return cases.Where(c => terms.Contains(c.Area, StringComparer.Ordinal)
            || terms.Contains(c.Level.ToKeyword(), StringComparer.Ordinal)
            || patterns.Any(p => p.IsMatch(c.Id))).ToList();
    }
}
