using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

using static Conformance.Harness.Tests.Fixtures.TempFixtureRoot;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>
/// The requirement catalog and what cites it: each lint rule rejects its bad input naming file, line and
/// field, and the good input resolves to the sentence, section and level the reports show.
/// </summary>
public sealed class RequirementCatalogTests
{
    private TempFixtureRoot fixture = null!;

    private string Requirements => fixture.Requirements;

    private const string Entry = "id: rfc9112-7.1-decode-chunked\nrfc: RFC 9112 §7.1\nlevel: MUST\nquote: A recipient MUST be able to parse and\n  decode the chunked transfer coding.\n";

    private static string CaseCiting(string id, string requirement = "rfc9112-7.1-decode-chunked") =>
        $"case: {id}\narea: chunked\nrequirement: {requirement}\ndoes: Sends a chunked request.\n\nsend:\n```\nGET / HTTP/1.1\n\n```\nexpect: 200\n";

    [SetUp]
    public void CreateFolder() => fixture = new TempFixtureRoot("catalog-");

    [TearDown]
    public void RemoveFolder() => fixture.Dispose();

    private FixtureSet Load(string requirements, string cases, IEnumerable<RequirementCitation>? codeCitations = null) => fixture.Load(requirements, cases, codeCitations);

    // A grammar rule has no keyword of its own: its basis is the MUST that makes a recipient decode it.
    private const string Other = "id: rfc9112-7.1-chunk-size-hex\nrfc: RFC 9112 §7.1\nlevel: MUST\nbasis: rfc9112-7.1-decode-chunked\nquote: chunk-size = 1*HEXDIG\n";


    [Test]
    public void A_case_resolves_its_id_to_the_quote_section_and_level()
    {
        var set = Load(Entry, CaseCiting("one"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        var c = set.Cases.Single();
        Assert.That(c.RequirementId, Is.EqualTo("rfc9112-7.1-decode-chunked"));
        Assert.That(c.Rfc, Is.EqualTo(new RfcReference(9112, "7.1")));
        Assert.That(c.Level, Is.EqualTo(RequirementLevel.Must));
        Assert.That(c.Requirement, Is.EqualTo("A recipient MUST be able to parse and decode the chunked transfer coding."), "continuation lines join with one space, as a case's did");
    }

    [Test]
    public void An_unknown_id_is_rejected_at_the_cases_requirement_line()
        => AssertOnly(Load(Entry + "\n" + Entry.Replace("decode-chunked", "other", StringComparison.Ordinal).Replace("be able", "really be able", StringComparison.Ordinal),
                CaseCiting("one") + "\n" + CaseCiting("two", "rfc9112-7.1-other") + "\n" + CaseCiting("three", "rfc9112-7.1-decode-chunkd")),
            "fixtures/cases/a.cases", 27, "requirement", "unknown requirement id \"rfc9112-7.1-decode-chunkd\"");

    [Test]
    public void An_entry_no_case_cites_is_rejected_at_the_entry()
        => AssertOnly(Load(Entry + "\n" + Entry.Replace("decode-chunked", "unused", StringComparison.Ordinal).Replace("be able", "really be able", StringComparison.Ordinal), CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 7, "id", "\"rfc9112-7.1-unused\" is cited by no case");

    [Test]
    public void A_quote_stored_twice_is_rejected_at_the_second_entry()
    {
        // Same words, wrapped differently: still one sentence.
        var second = "id: rfc9112-7.1-decode-chunked-again\nrfc: RFC 9112 §7.1\nlevel: MUST\nquote: A recipient MUST be able to parse and decode the chunked\n  transfer coding.\n";
        AssertOnly(Load(Entry + "\n" + second, CaseCiting("one") + "\n" + CaseCiting("two", "rfc9112-7.1-decode-chunked-again")),
            "fixtures/requirements/rfc9112.requirements", 7, "quote", "already stored as \"rfc9112-7.1-decode-chunked\"");
    }

    [Test]
    public void An_id_stored_twice_is_rejected_at_the_second_entry()
        => Assert.That(Load(Entry + "\n" + Entry.Replace("be able", "really be able", StringComparison.Ordinal), CaseCiting("one")).Errors.Select(e => e.ToString()),
            Has.Some.EqualTo("fixtures/requirements/rfc9112.requirements:7: [id] duplicate requirement id \"rfc9112-7.1-decode-chunked\" (first defined at fixtures/requirements/rfc9112.requirements:1)"));

    [TestCase("id: rfc9112-7.1-decode-chunked\n", "id: decode-chunked\n", 1, "id", "rfcNNNN-SECTION-words")]
    [TestCase("id: rfc9112-7.1-decode-chunked\n", "id: rfc9112-7.2-decode-chunked\n", 1, "id", "names RFC 9112 §7.2, but the entry cites RFC 9112 §7.1")]
    [TestCase("level: MUST\n", "level: OFTEN\n", 3, "level", "MUST, SHOULD or MAY")]
    [TestCase("level: MUST\n", "level: SHOULD\n", 3, "level", "the quote's strongest keyword is MUST, so its level is MUST, not SHOULD")]
    [TestCase("rfc: RFC 9112 §7.1\n", "rfc: chunked\n", 2, "rfc", "RFC 9112 §2.3")]
    [TestCase("level: MUST\n", "", 1, "level", "has no \"level:\" field")]
    [TestCase("level: MUST\n", "level: MUST\nsection: 7.1\n", 4, "section", "unknown field \"section\"")]
    [TestCase("level: MUST\n", "level: MUST\nlevel: MAY\n", 4, "level", "given twice")]
    public void A_malformed_entry_is_rejected_naming_its_line_and_field(string from, string to, int line, string field, string message)
    {
        var set = Load(Entry.Replace(from, to, StringComparison.Ordinal), CaseCiting("one"));
        Assert.That(set.Errors, Has.Some.Matches<FixtureError>(e => e.File == "fixtures/requirements/rfc9112.requirements" && e.Line == line && e.Field == field && e.Message.Contains(message, StringComparison.Ordinal)),
            string.Join("\n", set.Errors));
    }

    [Test]
    public void A_case_may_judge_below_its_sentences_level_but_never_above()
    {
        var should = Entry.Replace("level: MUST", "level: SHOULD", StringComparison.Ordinal).Replace("MUST be able", "SHOULD be able", StringComparison.Ordinal);
        var below = Load(should, CaseCiting("one").Replace("does:", "level: MAY\ndoes:", StringComparison.Ordinal));
        Assert.That(below.Errors, Is.Empty, string.Join("\n", below.Errors));
        Assert.That(below.Cases.Single().Level, Is.EqualTo(RequirementLevel.May));
        AssertOnly(Load(should, CaseCiting("one").Replace("does:", "level: MUST\ndoes:", StringComparison.Ordinal)),
            "fixtures/cases/a.cases", 4, "level", "above the SHOULD of the sentence it cites");
    }

    [Test]
    public void A_case_may_cite_several_entries_quoted_in_order_the_first_giving_section_and_level()
    {
        var set = Load(Entry + "\n" + Other, CaseCiting("one", "rfc9112-7.1-decode-chunked, rfc9112-7.1-chunk-size-hex"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        var c = set.Cases.Single();
        Assert.Multiple(() =>
        {
            Assert.That(c.RequirementId, Is.EqualTo("rfc9112-7.1-decode-chunked"));
            Assert.That(c.AlsoCitedIds, Is.EqualTo(new[] { "rfc9112-7.1-chunk-size-hex" }));
            Assert.That(c.Requirement, Is.EqualTo("A recipient MUST be able to parse and decode the chunked transfer coding. (RFC 9112 §7.1:) chunk-size = 1*HEXDIG (MUST by RFC 9112 §7.1: \"A recipient MUST be able to parse and decode the chunked transfer coding.\")"));
            Assert.That(c.Rfc, Is.EqualTo(new RfcReference(9112, "7.1")));
        });
    }

    [Test]
    public void A_further_cited_id_counts_as_a_citation_and_an_unknown_one_is_rejected()
    {
        // Cited only as the second id: not an uncited entry.
        Assert.That(Load(Entry + "\n" + Other, CaseCiting("one", "rfc9112-7.1-decode-chunked, rfc9112-7.1-chunk-size-hex")).Errors, Is.Empty);
        AssertOnly(Load(Entry, CaseCiting("one", "rfc9112-7.1-decode-chunked, rfc9112-7.1-chunk-size-hexx")),
            "fixtures/cases/a.cases", 3, "requirement", "unknown requirement id \"rfc9112-7.1-chunk-size-hexx\"");
        AssertOnly(Load(Entry, CaseCiting("one", "rfc9112-7.1-decode-chunked, rfc9112-7.1-decode-chunked")),
            "fixtures/cases/a.cases", 3, "requirement", "is cited twice");
    }

    [Test]
    public void An_entry_only_code_cites_is_cited_and_an_unknown_id_in_code_is_rejected_at_the_citing_line()
    {
        var byCode = new RequirementCitation("rfc9112-7.1-chunk-size-hex", "src/Conformance.Core/Checks/FramingChecks.cs", 12, "response-grammar rule framing.chunked-syntax");
        Assert.That(Load(Entry + "\n" + Other, CaseCiting("one"), [byCode]).Errors, Is.Empty, "the rule's citation keeps the entry");
        AssertOnly(Load(Entry + "\n" + Other, CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 7, "id", "\"rfc9112-7.1-chunk-size-hex\" is cited by no case");
        AssertOnly(Load(Entry, CaseCiting("one"), [byCode with { Id = "rfc9112-7.1-chunk-size-hexx" }]),
            "src/Conformance.Core/Checks/FramingChecks.cs", 12, "requirement", "response-grammar rule framing.chunked-syntax cites unknown requirement id \"rfc9112-7.1-chunk-size-hexx\"");
    }

    [Test]
    public void Resolving_an_id_the_catalog_lacks_throws_naming_the_id_and_the_citing_line()
    {
        var catalog = RequirementCatalog.Of(new Requirement("rfc9112-7.1-decode-chunked", new RfcReference(9112, "7.1"), RequirementLevel.Must, "A recipient MUST be able to parse and decode the chunked transfer coding.", "x", 1));
        Assert.That(CitedRequirements.Resolve(catalog, new RequirementCitation("rfc9112-7.1-decode-chunked", "src/a.cs", 3, "rule a")).Quote, Does.StartWith("A recipient MUST"));
        Assert.That(() => CitedRequirements.Resolve(catalog, new RequirementCitation("rfc9112-7.1-nope", "src/a.cs", 3, "rule a")),
            Throws.TypeOf<MissingRequirementException>().With.Message.EqualTo("src/a.cs:3: rule a cites requirement \"rfc9112-7.1-nope\", which fixtures/requirements/ does not hold"));
    }

    [Test]
    public void A_grammar_rule_citing_an_unknown_id_fails_loudly_when_it_reports()
    {
        // Never a violation with an empty sentence: the rule cannot report at all.
        var rule = new Harness.Checks.CheckDefinition("test.rule", RequirementLevel.Must, "rfc9112-99-no-such-sentence");
        Assert.That(() => rule.Violation("broken", 0), Throws.TypeOf<MissingRequirementException>().With.Message.Contains("\"rfc9112-99-no-such-sentence\""));
        Assert.That(rule.Citation.File, Does.EndWith("RequirementCatalogTests.cs"));
    }

    private void StoreRfcText(string text)
    {
        Directory.CreateDirectory(Path.Combine(Requirements, RfcText.Folder));
        File.WriteAllText(Path.Combine(Requirements, RfcText.Folder, "rfc9112.txt"), text);
    }

    private const string Section71 = "7.1.  Chunked Transfer Coding\n\n   The chunked transfer coding wraps content.\n\n   A recipient MUST be able to parse and decode the chunked transfer\n   coding.\n\n7.1.1.  Chunk Extensions\n\n   A recipient MUST ignore unrecognized chunk extensions.\n";

    [Test]
    public void A_quote_is_checked_against_the_stored_text_of_the_section_it_cites()
    {
        StoreRfcText(Section71);
        var set = Load(Entry, CaseCiting("one"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        Assert.That(set.Requirements.QuotesCheckedAgainstRfcText, Is.EqualTo(1));
    }

    [Test]
    public void A_quote_that_is_not_the_rfcs_text_is_rejected_showing_where_it_departs()
    {
        StoreRfcText(Section71);
        AssertOnly(Load(Entry.Replace("parse and", "parse or", StringComparison.Ordinal), CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 1, "quote", "then the quote has \"or");
    }

    [Test]
    public void A_quote_may_join_sentences_of_its_section_each_the_rfcs_words()
    {
        StoreRfcText(Section71);
        var joined = Entry.Replace("quote: A recipient", "quote: The chunked transfer coding wraps content. A recipient", StringComparison.Ordinal);
        Assert.That(Load(joined, CaseCiting("one")).Errors, Is.Empty);
        AssertOnly(Load(joined.Replace("wraps content.", "wraps all content.", StringComparison.Ordinal), CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 1, "quote", "then the quote has \"all content…");
    }

    [Test]
    public void A_quote_from_another_section_is_rejected()
    {
        StoreRfcText(Section71);
        AssertOnly(Load(Entry.Replace("quote: A recipient MUST be able to parse and\n  decode the chunked transfer coding.", "quote: A recipient MUST ignore unrecognized chunk extensions.", StringComparison.Ordinal), CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 1, "quote", "not in the text of RFC 9112 §7.1 stored at fixtures/requirements/rfc-text/rfc9112.txt:1");
    }

    [Test]
    public void A_page_break_inside_a_sentence_and_a_hyphen_at_a_line_end_are_read_as_the_rfc_means_them()
    {
        // As rfc-editor.org paginates: footer, form feed, running header, in the middle of the sentence; and a
        // hyphenated word broken at its hyphen.
        StoreRfcText("7.1.  Chunked Transfer Coding\n\n   A recipient MUST be able to parse and decode the\n\n\n"
            + "Fielding, et al.             Standards Track                   [Page 17]\n\f\n"
            + "RFC 9112                        HTTP/1.1                       June 2022\n\n\n   chunked trans-\n   fer coding.\n");
        var set = Load(Entry.Replace("transfer coding", "trans-fer coding", StringComparison.Ordinal), CaseCiting("one"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        Assert.That(set.Requirements.QuotesCheckedAgainstRfcText, Is.EqualTo(1));
        AssertOnly(Load(Entry.Replace("decode the", "decode the Fielding, et al.", StringComparison.Ordinal), CaseCiting("one")),
            "fixtures/requirements/rfc9112.requirements", 1, "quote", "then the quote has \"Fielding");
    }

    [Test]
    public void A_quote_may_run_from_one_list_item_into_the_next_as_the_sentence_does()
    {
        StoreRfcText("7.1.  Chunked Transfer Coding\n\n   *  A recipient MUST be able to parse; else,\n\n   *  and decode the chunked transfer coding.\n");
        var set = Load(Entry.Replace("parse and", "parse; else, and", StringComparison.Ordinal), CaseCiting("one"));
        Assert.That(set.Errors, Is.Empty, string.Join("\n", set.Errors));
        Assert.That(set.Requirements.QuotesCheckedAgainstRfcText, Is.EqualTo(1));
    }

    [Test]
    public void A_quote_whose_section_is_not_stored_is_not_checked()
    {
        StoreRfcText("7.2.  Transfer Codings for Compression\n\n   Other words.\n");
        var set = Load(Entry, CaseCiting("one"));
        Assert.That(set.Errors, Is.Empty);
        Assert.That(set.Requirements.QuotesCheckedAgainstRfcText, Is.Zero);
    }
}

/// <summary>File defaults and generated families: what they expand to, and each misuse located.</summary>
public sealed class FileDefaultsAndFamiliesTests
{
    private static (IReadOnlyList<ConformanceCase> Cases, IReadOnlyList<FixtureError> Errors) Parse(string text)
        => new FixtureParser(NamedCheckRegistry.Default, TestRequirements.Catalog).Parse(text, "fixtures/cases/sample.cases");

    private const string Defaults = "# a file about bare CRs\n\narea: sample\nrequirement: rfc9112-2.2-sample\nliveness: yes\n\n";

    private static string Case(string id, string fields = "") => $"case: {id}\n{fields}does: Sends bytes.\n\nsend:\n```\nGET / HTTP/1.1\n\n```\nexpect: 200\n\n";

    private static void AssertError(string text, int line, string field, string message)
    {
        var (_, errors) = Parse(text);
        Assert.That(errors, Has.Some.Matches<FixtureError>(e => e.File == "fixtures/cases/sample.cases" && e.Line == line && e.Field == field && e.Message.Contains(message, StringComparison.Ordinal)),
            $"expected line {line} [{field}] \"{message}\"; got:\n{string.Join("\n", errors)}");
    }

    [Test]
    public void Defaults_above_the_first_case_apply_to_every_case_and_a_cases_own_field_wins()
    {
        var (cases, errors) = Parse(Defaults + Case("one") + Case("two", "area: other\nrequirement: rfc9112-3.2-sample\nliveness: no\n"));
        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        Assert.That(cases.Select(c => (c.Area, c.RequirementId, c.Liveness)), Is.EqualTo(new[]
        {
            ("sample", TestRequirements.BareCr, true),
            ("other", TestRequirements.Host400, false),
        }));
        Assert.That(cases[0].Requirement, Is.EqualTo("A sender MUST NOT generate a bare CR."));
    }

    [Test]
    public void A_default_given_twice_is_rejected()
        => AssertError(Defaults + "area: again\n\n" + Case("one"), 7, "area", "given twice (first on line 3)");

    [Test]
    public void A_per_case_field_is_not_a_default()
        => AssertError("does: Sends bytes.\n\n" + Case("one"), 1, "does", "a file default may be only area, requirement, needs, liveness");

    [Test]
    public void Liveness_no_that_changes_nothing_is_rejected()
        => AssertError("area: sample\nrequirement: rfc9112-2.2-sample\n\n" + Case("one", "liveness: no\n"), 5, "liveness", "changes nothing here");

    [Test]
    public void A_case_without_a_requirement_and_no_default_names_both_places_to_put_one()
        => AssertError("area: sample\n\n" + Case("one"), 3, "requirement", "nor does the file give a default");

    private static string Bytes(ConformanceCase c)
    {
        var sb = new StringBuilder();
        foreach (var s in ((SendStep)c.Steps[0]).Segments)
        {
            sb.Append(s switch
            {
                LiteralBytes l => Encoding.Latin1.GetString(l.Bytes),
                RepeatBytes r => string.Concat(Enumerable.Repeat(Encoding.Latin1.GetString(r.Unit), r.Count)),
                PlaceholderRef p => "{" + p.Name + "}",
                _ => "?",
            });
        }
        return sb.ToString();
    }

    private static string WithBlock(params string[] lines) =>
        Defaults + "case: one\ndoes: Sends bytes.\n\nsend:\n```\n" + string.Join("\n", lines) + "\n```\nexpect: 200\n";

    [Test]
    public void A_family_line_is_its_template_once_per_counter_value_each_with_crlf()
    {
        var (cases, errors) = Parse(WithBlock("GET / HTTP/1.1", "{lines:0..2}X-Field-{i}: value-{i}", "{lines:8..10}X-S-{i}: {repeat:3:b}", ""));
        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        Assert.That(Bytes(cases[0]), Is.EqualTo("GET / HTTP/1.1\r\nX-Field-0: value-0\r\nX-Field-1: value-1\r\nX-Field-2: value-2\r\nX-S-8: bbb\r\nX-S-9: bbb\r\nX-S-10: bbb\r\n\r\n"));
    }

    [Test]
    public void A_family_is_the_same_bytes_as_the_lines_spelt_out()
    {
        var spelt = Parse(WithBlock(["GET / HTTP/1.1", .. Enumerable.Range(0, 90).Select(i => $"X-Field-{i}: value-{i}"), ""])).Cases[0];
        var family = Parse(WithBlock("GET / HTTP/1.1", "{lines:0..89}X-Field-{i}: value-{i}", "")).Cases[0];
        Assert.That(Bytes(family), Is.EqualTo(Bytes(spelt)));
        Assert.That(Harness.Snapshots.SendTemplate.LineCount((SendStep)family.Steps[0]), Is.EqualTo(Harness.Snapshots.SendTemplate.LineCount((SendStep)spelt.Steps[0])), "snapshots describe the send by its line count");
    }

    [TestCase("{lines:5..2}X-{i}: v", "FROM <= TO")]
    [TestCase("{lines:0..200000}X-{i}: v", "at most 100000 lines")]
    [TestCase("{lines:0..3}X-A: v", "must use the counter {i}")]
    [TestCase("X-{i}: v", "{i} is the counter of a {lines:FROM..TO} line")]
    [TestCase("{lines:0..3}X-{i}: \\q", "unknown escape \\q")]
    public void A_bad_family_is_rejected_on_its_line(string line, string message)
    {
        AssertError(WithBlock("GET / HTTP/1.1", line, ""), 13, "send", message);
        Assert.That(Parse(WithBlock("GET / HTTP/1.1", line, "")).Errors, Has.Count.EqualTo(1), "a bad template is reported once, not once per line");
    }
}
