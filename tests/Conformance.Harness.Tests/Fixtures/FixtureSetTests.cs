using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>Loading a whole fixture folder: ids unique across files, bad encodings located, the set hashed.</summary>
public sealed class FixtureSetTests
{
    private string root = "";

    private string Cases => Path.Combine(root, "cases");

    [SetUp]
    public void CreateFolder()
    {
        root = Directory.CreateTempSubdirectory("fixtures-").FullName;
        Directory.CreateDirectory(Cases);
        Directory.CreateDirectory(Path.Combine(root, "requirements"));
        File.WriteAllText(Path.Combine(root, "requirements", "rfc9112.requirements"), "id: rfc9112-2.2-r\nrfc: RFC 9112 §2.2\nlevel: MUST\nquote: a recipient MUST r\n");
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(root, recursive: true);

    private static string CaseText(string id) => $"case: {id}\narea: a\nrequirement: rfc9112-2.2-r\ndoes: d\n\nsend:\n```\nX\n```\nexpect: 200\n";

    private FixtureSet Load() => FixtureSet.Load(Cases, root, NamedCheckRegistry.Default);

    [Test]
    public void Duplicate_ids_across_files_are_errors_naming_both_places()
    {
        File.WriteAllText(Path.Combine(Cases, "a.cases"), CaseText("same-id"));
        File.WriteAllText(Path.Combine(Cases, "b.cases"), "# another file\n" + CaseText("same-id"));
        var set = Load();
        Assert.That(set.Errors, Has.Count.EqualTo(1));
        Assert.That(set.Errors[0].ToString(), Is.EqualTo("cases/b.cases:2: [case] duplicate id \"same-id\" (first defined at cases/a.cases:1)"));
        Assert.Throws<FixtureException>(() => set.ThrowIfInvalid());
    }

    [Test]
    public void A_file_that_is_not_utf8_is_rejected_with_its_line()
    {
        File.WriteAllText(Path.Combine(Cases, "good.cases"), CaseText("good"));
        var bytes = System.Text.Encoding.ASCII.GetBytes(CaseText("one")).Concat(new byte[] { 0xFF, 0xFE, 0x0A }).ToArray();
        File.WriteAllBytes(Path.Combine(Cases, "bad.cases"), bytes);
        var set = Load();
        Assert.That(set.Errors.Single().ToString(), Does.StartWith("cases/bad.cases:11: [file] the file is not valid UTF-8"));
    }

    [Test]
    public void The_hash_changes_with_any_byte_of_any_case_or_requirement_file()
    {
        File.WriteAllText(Path.Combine(Cases, "a.cases"), CaseText("one"));
        var before = Load().Sha256;
        Assert.That(Load().Sha256, Is.EqualTo(before), "the hash is stable");
        File.WriteAllText(Path.Combine(Cases, "a.cases"), CaseText("one").Replace("does: d", "does: e", StringComparison.Ordinal));
        var afterCase = Load().Sha256;
        Assert.That(afterCase, Is.Not.EqualTo(before));
        File.AppendAllText(Path.Combine(root, "requirements", "rfc9112.requirements"), "  and more\n");
        Assert.That(Load().Sha256, Is.Not.EqualTo(afterCase), "the quote a report shows is part of the fixture set");
    }

    [Test]
    public void A_missing_folder_is_a_clear_error()
        => Assert.That(() => FixtureSet.Load(Path.Combine(root, "nope"), root, NamedCheckRegistry.Default),
            Throws.TypeOf<FixtureException>().With.Message.Contains("does not exist"));

    [Test]
    public void A_missing_requirement_catalog_is_a_clear_error()
    {
        Directory.Delete(Path.Combine(root, "requirements"), recursive: true);
        File.WriteAllText(Path.Combine(Cases, "a.cases"), CaseText("one"));
        Assert.That(Load().Errors.Select(e => e.ToString()), Has.Some.EqualTo("requirements:0: [requirements] the requirement catalog folder does not exist"));
    }
}

/// <summary>The project's own fixtures: the lint runs as a test, so a broken fixture fails the build's tests.</summary>
public sealed class FixtureLintTests
{
    [Test]
    public void The_committed_fixtures_lint_clean()
    {
        var root = RepoPaths.Root();
        var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
        Assert.That(set.Errors, Is.Empty, string.Join(Environment.NewLine, set.Errors));
        Assert.That(set.Cases, Has.Count.GreaterThanOrEqualTo(25));
    }

    [Test]
    public void The_committed_catalog_checks_the_quotes_whose_rfc_text_is_stored()
    {
        var root = RepoPaths.Root();
        var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
        Assert.That(set.Requirements.QuotesCheckedAgainstRfcText, Is.GreaterThanOrEqualTo(138), "rfc-text/ holds RFC 9112 §2 to §9.6, parts of RFC 9110 and the RFC 6265 sections the catalog cites");
        var cited = set.Cases.SelectMany(c => c.CitedIds).Concat(ProductFixtures.CodeCitations.Select(c => c.Id)).Concat(VerdictLevels.Named(set.Cases)).Concat(set.Requirements.CitedByEntries).ToHashSet(StringComparer.Ordinal);
        Assert.That(set.Requirements.Entries.Select(e => e.Id), Is.EquivalentTo(cited), "every entry is cited (by a case, an alternative or check naming it, a basis, or code), every citation is an entry");
    }

    [Test]
    public void Every_sentence_code_cites_resolves_from_the_catalog_at_a_real_source_line()
    {
        var root = RepoPaths.Root();
        var citations = ProductFixtures.CodeCitations;
        Assert.That(citations.Select(c => c.Citer), Has.Some.Contains("response-grammar rule").And.Some.Contains("engine").And.Some.Contains("browser case"));
        Assert.Multiple(() =>
        {
            foreach (var c in citations)
            {
                Assert.That(CitedRequirements.Get(c).Quote, Has.Length.GreaterThan(20), c.Location);
                Assert.That(File.Exists(Path.Combine(root, c.File)) && c.File.StartsWith("src/", StringComparison.Ordinal) && c.Line > 0, Is.True, $"{c.Citer} at {c.Location}");
            }
        });
    }

    [Test]
    public void Grammar_rules_and_browser_cases_show_the_catalogs_section_and_sentence()
    {
        var root = RepoPaths.Root();
        var catalog = ProductFixtures.Load(root, NamedCheckRegistry.Default).Requirements;
        Assert.Multiple(() =>
        {
            foreach (var rule in Harness.Checks.ResponseGrammar.Definitions)
            {
                var entry = catalog.Find(rule.Citation.Id)!;
                Assert.That((rule.Rfc, rule.Requirement), Is.EqualTo((entry.Rfc, entry.Shown)), rule.Id);
            }
            foreach (var b in Harness.Browser.BrowserCatalog.Cases)
            {
                var entry = catalog.Find(b.RequirementId)!;
                Assert.That((b.Rfc, b.Requirement), Is.EqualTo((entry.Rfc, entry.Shown)), b.Id);
                Assert.That(b.Level, Is.GreaterThanOrEqualTo(entry.Level), $"{b.Id} is judged no higher than its sentence");
            }
        });
    }

    [Test]
    public void Every_case_quotes_a_requirement_and_says_what_it_does()
    {
        var root = RepoPaths.Root();
        foreach (var c in FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases)
        {
            Assert.That(c.Requirement, Has.Length.GreaterThan(20), c.Location);
            Assert.That(c.Description, Has.Length.GreaterThan(20), c.Location);
        }
    }
}
