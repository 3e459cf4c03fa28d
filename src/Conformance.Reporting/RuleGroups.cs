using System.Globalization;

namespace Conformance.Harness.Reports;

/// <summary>
/// One broken rule and the cases that broke it. A server with one fault often fails many cases for the
/// same reason (a missing Date on every error response): grouped, the reader sees one cause with its count
/// instead of a hundred rows.
/// </summary>
public sealed record RuleGroup
{
    /// <summary>The finding's stable rule id ("date.present", "connection closed"); "outcome" when the case's answer was outside its set.</summary>
    public required string Rule { get; init; }

    /// <summary>"RFC 9110 §6.6.1", or null when the finding cites none.</summary>
    public string? Rfc { get; init; }

    public string? Level { get; init; }

    /// <summary>The sentence that was broken.</summary>
    public string? Requirement { get; init; }

    /// <summary>The cases that broke it, in report order.</summary>
    public required IReadOnlyList<string> CaseIds { get; init; }

    /// <summary>The first case's deciding finding: the example shown with the group.</summary>
    public required FindingReport Example { get; init; }

    public int Count => CaseIds.Count;

    /// <summary>
    /// A short name for the rule: the rule id when it names a check, else the RFC reference; "outcome" says
    /// nothing on its own, so the requirement's section carries the name then.
    /// </summary>
    public string Title => Rule is "outcome" or "" ? Rfc ?? "outcome" : Rfc is null ? Rule : $"{Rfc} [{Rule}]";

    /// <summary>The requirement cut to <paramref name="max"/> characters at a word boundary, for one-line displays.</summary>
    public string ShortRequirement(int max = 110)
    {
        var text = (Requirement ?? "").ReplaceLineEndings(" ");
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return text[..(cut > max / 2 ? cut : max - 1)] + "…";
    }

    /// <summary>"expected X; actual Y" of the example, or its message's first line.</summary>
    public string ExampleEvidence()
    {
        if (Example.Expected is null && Example.Actual is null) return Example.Detail ?? Example.Message.Split('\n')[0];
        var parts = new List<string>();
        if (Example.Expected is { } e) parts.Add("expected " + e);
        if (Example.Actual is { } a) parts.Add("actual " + a);
        return string.Join("; ", parts);
    }

    public string CountText => Count == 1 ? "1 case" : Count.ToString(CultureInfo.InvariantCulture) + " cases";
}

/// <summary>Groups the non-passing cases of a report by the rule their deciding findings broke.</summary>
public static class RuleGroups
{
    /// <summary>
    /// The groups of cases whose verdict is <paramref name="verdict"/> (FAIL, WARN), largest first, ties in
    /// report order. A case counts once per rule it broke at that verdict; a case with no such finding (an
    /// ERROR's reason, say) is grouped under its first finding, or not at all when it has none.
    /// </summary>
    public static IReadOnlyList<RuleGroup> Of(RunReport report, string verdict)
    {
        // The broken rule is the sentence: an outcome outside the set and a failed assertion of the same case
        // (400 expected, and the close after it) that quote one sentence are one rule, not two. Findings
        // without a sentence are grouped by their rule id.
        var groups = new Dictionary<(string? Rfc, string Key), (List<string> Cases, List<FindingReport> Findings, int Order)>();
        foreach (var c in report.Cases.Where(c => c.Verdict == verdict))
        {
            var deciding = c.Findings.Where(f => f.Verdict == verdict).ToList();
            if (deciding.Count == 0 && c.Findings.FirstOrDefault() is { } first) deciding.Add(first);
            foreach (var f in deciding)
            {
                var requirement = f.Requirement ?? (f.Rule == "outcome" ? c.Requirement : null);
                var key = (f.Rfc, requirement ?? "rule:" + f.Rule);
                if (!groups.TryGetValue(key, out var g)) groups[key] = g = ([], [], groups.Count);
                if (!g.Cases.Contains(c.Id, StringComparer.Ordinal)) g.Cases.Add(c.Id);
                g.Findings.Add(f);
            }
        }
        return groups
            .OrderByDescending(g => g.Value.Cases.Count).ThenBy(g => g.Value.Order)
            .Select(g => new RuleGroup
            {
                // A named check (date.present) says more than "outcome": prefer it when one of the findings has it.
                Rule = g.Value.Findings.Select(f => f.Rule).FirstOrDefault(r => r != "outcome") ?? "outcome",
                Rfc = g.Key.Rfc,
                Level = g.Value.Findings[0].Level,
                Requirement = g.Key.Key.StartsWith("rule:", StringComparison.Ordinal) ? null : g.Key.Key,
                CaseIds = g.Value.Cases,
                Example = g.Value.Findings[0],
            })
            .ToList();
    }

    /// <summary>SKIP cases counted by their reason (the missing role, the absent validator), most first.</summary>
    public static IReadOnlyList<(string Reason, int Count)> Skips(RunReport report) =>
        report.Cases.Where(c => c.Verdict == "SKIP")
            .GroupBy(c => c.Reason ?? c.Findings.FirstOrDefault()?.Message.Split('\n')[0] ?? "no reason given", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .ToList();
}
