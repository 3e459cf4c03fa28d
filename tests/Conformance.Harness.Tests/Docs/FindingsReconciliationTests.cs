using System.Text.RegularExpressions;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Docs;

/// <summary>
/// docs/findings/ must hold every FAIL and WARN of every bundled server: the generated lists
/// (tools/findings/verdict-lists.sh) are checked against the approved baselines, so a baseline accepted with a
/// new or changed FAIL/WARN fails here until the findings are regenerated and the hand-written reasoning read
/// again. Each hand-written findings page links its server's complete list.
/// </summary>
public sealed partial class FindingsReconciliationTests
{
    private static readonly (string Server, string Page)[] Servers =
    [
        ("reference", "reference.md"), ("nginx", "nginx.md"), ("apache", "apache.md"),
        ("lighttpd", "lighttpd.md"), ("h2o", "h2o.md"), ("node", "node.md"),
    ];

    public static IEnumerable<TestCaseData> Cases() => Servers.Select(s => new TestCaseData(s.Server, s.Page).SetArgDisplayNames(s.Server));

    [GeneratedRegex(@"^(?<id>\S+)\s+(?<verdict>FAIL|WARN)\b", RegexOptions.Multiline)]
    private static partial Regex LedgerLine();

    [GeneratedRegex(@"^- \*\*(?<verdict>FAIL|WARN)\*\* `(?<id>[^`]+)`", RegexOptions.Multiline)]
    private static partial Regex ListedCase();

    internal static SortedSet<string> InBaselines(string root, string server) => new(
        Directory.GetFiles(Path.Combine(root, "reports", "baselines", server), "_verdicts.*.verified.txt")
            .SelectMany(f => LedgerLine().Matches(File.ReadAllText(f)).Select(m => $"{m.Groups["verdict"].Value} {m.Groups["id"].Value}")),
        StringComparer.Ordinal);

    internal static SortedSet<string> Listed(string text) => new(
        ListedCase().Matches(text).Select(m => $"{m.Groups["verdict"].Value} {m.Groups["id"].Value}"), StringComparer.Ordinal);

    [TestCaseSource(nameof(Cases))]
    public void Every_FAIL_and_WARN_in_the_baselines_is_in_the_findings_with_the_same_verdict(string server, string page)
    {
        var root = RepoPaths.Root();
        var list = Path.Combine(root, "docs", "findings", "verdicts", server + ".md");
        Assert.That(File.Exists(list), Is.True, $"{list} is missing: run tools/findings/verdict-lists.sh {server}");
        var approved = InBaselines(root, server);
        var listed = Listed(File.ReadAllText(list));
        Assert.That(approved, Is.Not.Empty, "the baselines' ledger was read");
        Assert.That(approved.Except(listed), Is.Empty, $"FAIL/WARN verdicts in reports/baselines/{server} that docs/findings/verdicts/{server}.md does not list: run tools/findings/verdict-lists.sh {server} and read them against docs/findings/{page}");
        Assert.That(listed.Except(approved), Is.Empty, $"docs/findings/verdicts/{server}.md lists verdicts the baselines no longer have: regenerate it");
        Assert.That(File.ReadAllText(Path.Combine(root, "docs", "findings", page)), Does.Contain($"verdicts/{server}.md"), $"docs/findings/{page} links the complete list");
    }

    /// <summary>
    /// The hand-written page reasons about every FAIL and WARN by name: a case that turns FAIL or WARN on a
    /// server (a new case, or a changed behaviour) fails here until someone has read it against its sentence
    /// and put it in a row of that server's page.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void Every_FAIL_and_WARN_in_the_baselines_is_named_on_the_hand_written_page(string server, string page)
    {
        var root = RepoPaths.Root();
        var approved = InBaselines(root, server);
        var text = File.ReadAllText(Path.Combine(root, "docs", "findings", page));
        var unnamed = Unnamed(approved, text);
        Assert.That(approved, Is.Not.Empty, "the baselines' ledger was read");
        Assert.That(unnamed, Is.Empty, $"FAIL/WARN cases of {server} that docs/findings/{page} does not name: read each against the sentence it cites (docs/findings/verdicts/{server}.md) and add it to a row");
    }

    /// <summary>The ledger entries ("FAIL id") whose case id the page does not name in backquotes.</summary>
    internal static List<string> Unnamed(IEnumerable<string> ledger, string page) =>
        [.. ledger.Where(entry => !page.Contains($"`{entry[(entry.IndexOf(' ', StringComparison.Ordinal) + 1)..]}`", StringComparison.Ordinal))];

    [Test]
    public void The_naming_check_finds_a_case_the_page_leaves_out()
    {
        var ledger = new[] { "FAIL host-missing-is-400", "WARN method-unknown-is-501" };
        Assert.That(Unnamed(ledger, "| `host-missing-is-400` | 200 | true |"), Is.EqualTo(new[] { "WARN method-unknown-is-501" }));
        // A prefix of another id does not count as naming it.
        Assert.That(Unnamed(["FAIL host-missing"], "| `host-missing-is-400` |"), Is.EqualTo(new[] { "FAIL host-missing" }));
        Assert.That(Unnamed(ledger, "`host-missing-is-400`, `method-unknown-is-501`"), Is.Empty);
    }

    [Test]
    public void The_check_finds_a_verdict_the_list_leaves_out_and_one_it_gets_wrong()
    {
        var ledger = new SortedSet<string>(["FAIL host-missing-is-400", "WARN method-unknown-is-501"], StringComparer.Ordinal);
        var list = Listed("- **FAIL** `host-missing-is-400` — MUST\n- **FAIL** `method-unknown-is-501` — SHOULD\n");
        Assert.That(ledger.Except(list), Is.EqualTo(new[] { "WARN method-unknown-is-501" }));
        Assert.That(list.Except(ledger), Is.EqualTo(new[] { "FAIL method-unknown-is-501" }));
    }
}
