using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

using static Conformance.Harness.Tests.Fixtures.TempFixtureRoot;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>
/// Every verdict at the level of the sentence it breaks (fixtures/README.md, "Naming the sentence an answer
/// breaks"): each lint rule rejects its violation naming file, line and field, and passes once the fixture names
/// a sentence of the right level; the catalog's "basis:" rules likewise.
/// </summary>
public sealed class VerdictLevelTests
{
    private TempFixtureRoot fixture = null!;

    private const string MustEntry = "id: rfc9112-7.1-decode-chunked\nrfc: RFC 9112 §7.1\nlevel: MUST\nquote: A recipient MUST be able to parse and decode the chunked transfer coding.\n";

    private const string ShouldEntry = "id: rfc9112-2.2-respond-400\nrfc: RFC 9112 §2.2\nlevel: SHOULD\nquote: the server SHOULD respond with a 400 (Bad Request) response and close the connection.\n";

    private const string GrammarEntry = "id: rfc9112-7.1-chunk-size-grammar\nrfc: RFC 9112 §7.1\nlevel: MUST\n{BASIS}quote: chunk-size = 1*HEXDIG\n";

    private const string Catalog = MustEntry + "\n" + ShouldEntry;

    /// <summary>A case citing <paramref name="requirement"/> whose one step expects <paramref name="expect"/>, with an optional assertion under it (line 11 is the expect line, 12 the assertion).</summary>
    private static string Case(string expect, string requirement = "rfc9112-7.1-decode-chunked", string assertion = "", string id = "one") =>
        $"case: {id}\narea: chunked\nrequirement: {requirement}\ndoes: Sends a request.\n\nsend:\n```\nGET / HTTP/1.1\n\n```\nexpect: {expect}\n{(assertion.Length > 0 ? "  " + assertion + "\n" : "")}";

    [SetUp]
    public void CreateFolder() => fixture = new TempFixtureRoot("levels-");

    [TearDown]
    public void RemoveFolder() => fixture.Dispose();

    private FixtureSet Load(string requirements, string cases) => fixture.Load(requirements, cases);

    // Both sentences must be cited, or the uncited-entry lint speaks too: the second case cites the SHOULD.
    private static string WithShouldCase(string cases) => cases + "\n" + Case("400", "rfc9112-2.2-respond-400", id: "two");

    [Test]
    public void A_warn_in_a_must_case_without_a_sentence_is_rejected_and_passes_naming_a_should()
    {
        AssertOnly(Load(Catalog, WithShouldCase(Case("400 | 5xx WARN | 2xx FAIL"))), "fixtures/cases/a.cases", 11, "expect",
            "\"5xx WARN\" is a WARN, but the case's sentence \"rfc9112-7.1-decode-chunked\" is judged at MUST");

        var set = Load(Catalog, WithShouldCase(Case("400 | 5xx WARN[rfc9112-2.2-respond-400] | 2xx FAIL")));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        var warn = set.Cases[0].Steps.OfType<ExpectStep>().Single().Outcomes.Alternatives[1];
        Assert.That((warn.Verdict, warn.Cited?.Id, warn.Cited?.Level), Is.EqualTo((Verdict.Warn, "rfc9112-2.2-respond-400", RequirementLevel.Should)));
    }

    [Test]
    public void A_fail_in_a_should_case_without_a_sentence_is_rejected_and_passes_naming_a_must()
    {
        var cases = Case("400", id: "two") + "\n" + Case("400 | timeout FAIL within 500ms", "rfc9112-2.2-respond-400");
        AssertOnly(Load(Catalog, cases), "fixtures/cases/a.cases", 23, "expect", "\"timeout FAIL\" is a FAIL, but the case's sentence \"rfc9112-2.2-respond-400\" is judged at SHOULD");

        var named = Load(Catalog, cases.Replace("timeout FAIL", "timeout FAIL[rfc9112-7.1-decode-chunked]", StringComparison.Ordinal));
        Assert.That(named.Errors, Is.Empty, string.Join("\n", named.Errors));
    }

    [Test]
    public void A_warn_in_a_case_judging_a_must_at_should_names_its_should()
    {
        var lowered = Case("400 | 2xx WARN").Replace("does:", "level: SHOULD\ndoes:", StringComparison.Ordinal);
        AssertOnly(Load(Catalog, WithShouldCase(lowered)), "fixtures/cases/a.cases", 12, "expect",
            "\"2xx WARN\" is a WARN, but the case's sentence \"rfc9112-7.1-decode-chunked\" is a MUST judged at SHOULD");
        var named = Load(Catalog, WithShouldCase(lowered.Replace("2xx WARN", "2xx WARN[rfc9112-2.2-respond-400]", StringComparison.Ordinal)));
        Assert.That(named.Errors, Is.Empty, string.Join("\n", named.Errors));
    }

    [Test]
    public void A_named_sentence_of_another_level_than_the_verdict_is_rejected()
        => AssertOnly(Load(Catalog, WithShouldCase(Case("400 | 2xx FAIL[rfc9112-2.2-respond-400]"))), "fixtures/cases/a.cases", 11, "expect",
            "names a SHOULD sentence; a FAIL breaks a MUST");

    [Test]
    public void An_unknown_named_sentence_is_rejected()
        => AssertOnly(Load(Catalog, WithShouldCase(Case("400 | 5xx WARN[rfc9112-2.2-respond-401]"))), "fixtures/cases/a.cases", 11, "expect",
            "unknown requirement id \"rfc9112-2.2-respond-401\"");

    [TestCase("INFO")]
    [TestCase("PASS")]
    public void A_pass_or_info_naming_a_sentence_is_rejected(string verdict)
        => AssertOnly(Load(Catalog, WithShouldCase(Case($"400 | 5xx {verdict}[rfc9112-2.2-respond-400]"))), "fixtures/cases/a.cases", 11, "expect",
            "only a WARN or FAIL names the sentence it breaks");

    [Test]
    public void Outcomes_joined_by_commas_share_one_verdict_and_sentence_in_their_order()
    {
        var set = Load(Catalog, WithShouldCase(Case("400 | 4xx,5xx,close WARN[rfc9112-2.2-respond-400] | 2xx FAIL")));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        var alternatives = set.Cases[0].Steps.OfType<ExpectStep>().Single().Outcomes.Alternatives;
        Assert.That(alternatives.Select(a => $"{a.Pattern} {a.Verdict.ToLabel()} {a.Cited?.Id}"), Is.EqualTo(new[]
        {
            "400 PASS ", "4xx WARN rfc9112-2.2-respond-400", "5xx WARN rfc9112-2.2-respond-400", "close WARN rfc9112-2.2-respond-400", "2xx FAIL ",
        }));
    }

    [Test]
    public void A_bare_must_on_a_check_in_a_should_case_is_rejected_and_passes_naming_the_sentence()
    {
        var cases = Case("400", id: "two") + "\n" + Case("2xx | 405", "rfc9112-2.2-respond-400", "check: field-on-status 405 Allow [MUST]");
        AssertOnly(Load(Catalog, cases), "fixtures/cases/a.cases", 24, "level", "[MUST] judges this assertion above or beside the case's SHOULD");

        var named = Load(Catalog, cases.Replace("[MUST]", "[rfc9112-7.1-decode-chunked]", StringComparison.Ordinal));
        Assert.That(named.Errors, Is.Empty, string.Join("\n", named.Errors));
        var check = named.Cases[1].Steps.OfType<ExpectStep>().Single().Assertions.Single();
        Assert.That(check.Cited?.Id, Is.EqualTo("rfc9112-7.1-decode-chunked"));
    }

    [Test]
    public void An_unknown_sentence_on_a_check_is_rejected()
        => AssertOnly(Load(Catalog, WithShouldCase(Case("2xx | 405", assertion: "check: field-on-status 405 Allow [rfc9110-15.5.6-nope]"))), "fixtures/cases/a.cases", 12, "check",
            "unknown requirement id \"rfc9110-15.5.6-nope\"");

    [Test]
    public void A_grammar_rule_without_its_keyword_needs_a_basis_and_shows_it_with_its_quote()
    {
        var cases = Case("400", "rfc9112-7.1-chunk-size-grammar") + "\n" + Case("400", id: "two");
        AssertOnly(Load(MustEntry + "\n" + GrammarEntry.Replace("{BASIS}", "", StringComparison.Ordinal), cases),
            "fixtures/requirements/rfc9112.requirements", 6, "basis", "holds no MUST (nor any keyword), so it must name the entry that makes it a MUST");

        var set = Load(MustEntry + "\n" + GrammarEntry.Replace("{BASIS}", "basis: rfc9112-7.1-decode-chunked\n", StringComparison.Ordinal), cases);
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        Assert.That(set.Cases[0].Requirement, Is.EqualTo("chunk-size = 1*HEXDIG (MUST by RFC 9112 §7.1: \"A recipient MUST be able to parse and decode the chunked transfer coding.\")"));
    }

    [Test]
    public void A_basis_that_is_unknown_lacks_the_keyword_or_changes_nothing_is_rejected()
    {
        var cases = Case("400", "rfc9112-7.1-chunk-size-grammar") + "\n" + Case("400", id: "two") + "\n" + Case("400", "rfc9112-2.2-respond-400", id: "three");
        var catalog = MustEntry + "\n" + ShouldEntry + "\n" + GrammarEntry;
        AssertOnly(Load(catalog.Replace("{BASIS}", "basis: rfc9112-7.1-nope\n", StringComparison.Ordinal), cases),
            "fixtures/requirements/rfc9112.requirements", 11, "basis", "unknown requirement id \"rfc9112-7.1-nope\"");
        AssertOnly(Load(catalog.Replace("{BASIS}", "basis: rfc9112-2.2-respond-400\n", StringComparison.Ordinal), cases),
            "fixtures/requirements/rfc9112.requirements", 11, "basis", "must quote a MUST to make it one, but its quote's strongest keyword is SHOULD");
        AssertOnly(Load(MustEntry.Replace("level: MUST\n", "level: MUST\nbasis: rfc9112-2.2-respond-400\n", StringComparison.Ordinal) + "\n" + ShouldEntry,
                Case("400") + "\n" + Case("400", "rfc9112-2.2-respond-400", id: "two")),
            "fixtures/requirements/rfc9112.requirements", 1, "basis", "quotes its own MUST; its \"basis: rfc9112-2.2-respond-400\" changes nothing");
    }

    [Test]
    public void A_definition_whose_level_the_targets_profile_declares_says_so_in_its_quote()
    {
        var catalog = MustEntry + "\n" + GrammarEntry.Replace("{BASIS}", "basis: profile\n", StringComparison.Ordinal);
        var cases = Case("400", "rfc9112-7.1-chunk-size-grammar") + "\n" + Case("400", id: "two");
        var set = Load(catalog, cases);
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        Assert.That(set.Cases[0].Requirement, Is.EqualTo("chunk-size = 1*HEXDIG (MUST by the target's profile, which declares this behaviour for the role)"));

        AssertOnly(Load(MustEntry.Replace("level: MUST\n", "level: MUST\nbasis: profile\n", StringComparison.Ordinal), Case("400")),
            "fixtures/requirements/rfc9112.requirements", 1, "basis", "quotes its own MUST; its \"basis: profile\" changes nothing");
    }

    [Test]
    public void A_sentence_named_only_by_an_alternative_or_a_basis_counts_as_cited()
    {
        // The SHOULD entry is cited by no case's requirement line, only by an alternative; the MUST only by a basis.
        var catalog = MustEntry + "\n" + ShouldEntry + "\n" + GrammarEntry.Replace("{BASIS}", "basis: rfc9112-7.1-decode-chunked\n", StringComparison.Ordinal);
        var set = Load(catalog, Case("400 | 5xx WARN[rfc9112-2.2-respond-400]", "rfc9112-7.1-chunk-size-grammar"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
    }

    /// <summary>
    /// Over the committed fixtures: every alternative judged WARN or FAIL, and every check naming a sentence, resolves to a
    /// sentence of the verdict's level whose quote, or the quote of its basis, holds that level's keyword. This is what
    /// a report's headline then shows.
    /// </summary>
    [Test]
    public void Every_committed_warn_and_fail_quotes_a_sentence_holding_its_keyword()
    {
        var root = RepoPaths.Root();
        // The product's loader: the catalog's entries that only code cites (grammar rules, engine findings, browser
        // cases) count as cited.
        var set = Conformance.Harness.Engine.ProductFixtures.Load(root, NamedCheckRegistry.Default);
        Assert.That(set.Errors, Is.Empty, string.Join(Environment.NewLine, set.Errors));
        var wrong = new List<string>();
        var judged = 0;
        foreach (var c in set.Cases)
        {
            foreach (var expect in c.Steps.OfType<ExpectStep>())
            {
                foreach (var alternative in expect.Outcomes.Alternatives.Where(a => a.Verdict is Verdict.Warn or Verdict.Fail))
                {
                    judged++;
                    var (level, _, _) = VerdictLevels.SentenceOf(c, alternative);
                    var sentence = alternative.Cited ?? set.Requirements.Find(c.RequirementId)!;
                    if (level.VerdictWhenBroken() != alternative.Verdict || !HoldsKeyword(sentence, alternative.Verdict))
                        wrong.Add($"{c.Location} {c.Id}: \"{alternative.Pattern} {alternative.Verdict.ToLabel()}\" resolves to {level.ToKeyword()} \"{sentence.Id}\"");
                }
                foreach (var check in expect.Assertions.Where(a => a.Cited is not null))
                {
                    var (level, _, _) = VerdictLevels.SentenceOf(c, check);
                    if (!HoldsKeyword(check.Cited!, level.VerdictWhenBroken())) wrong.Add($"{c.Location} {c.Id}: the check at line {check.Line} names \"{check.Cited!.Id}\" without its keyword");
                }
            }
        }
        Assert.That(wrong, Is.Empty, string.Join(Environment.NewLine, wrong));
        Assert.That(judged, Is.GreaterThan(500), "the committed fixtures judge hundreds of answers WARN or FAIL");
    }

    private static bool HoldsKeyword(Requirement sentence, Verdict verdict)
    {
        var needed = VerdictLevels.LevelFor(verdict);
        return RequirementCatalog.StrongestKeyword(sentence.Quote) == needed
            || (sentence.Basis is { } basis && sentence.Level == needed && RequirementCatalog.StrongestKeyword(basis.Quote) == needed)
            || (sentence.BasisId == RequirementCatalog.ProfileBasis && sentence.Level == needed);
    }
}
