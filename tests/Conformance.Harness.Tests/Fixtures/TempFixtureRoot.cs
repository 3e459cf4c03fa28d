using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>
/// A fixture root of a test's own in a temp folder (fixtures/cases and fixtures/requirements), loaded as the
/// suite loads the product's: for the lint tests, which each write one requirements file and one cases file.
/// </summary>
internal sealed class TempFixtureRoot : IDisposable
{
    public TempFixtureRoot(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        Directory.CreateDirectory(Cases);
        Directory.CreateDirectory(Requirements);
    }

    public string Root { get; }

    public string Cases => Path.Combine(Root, "fixtures", "cases");

    public string Requirements => Path.Combine(Root, "fixtures", "requirements");

    /// <summary>Writes fixtures/requirements/rfc9112.requirements and fixtures/cases/a.cases, then loads the root.</summary>
    public FixtureSet Load(string requirements, string cases, IEnumerable<RequirementCitation>? codeCitations = null)
    {
        File.WriteAllText(Path.Combine(Requirements, "rfc9112.requirements"), requirements);
        File.WriteAllText(Path.Combine(Cases, "a.cases"), cases);
        return FixtureSet.Load(Cases, Root, NamedCheckRegistry.Default, codeCitations: codeCitations);
    }

    /// <summary>The load found exactly one error, at this file, line and field, saying this.</summary>
    public static void AssertOnly(FixtureSet set, string file, int line, string field, string message)
    {
        Assert.That(set.Errors, Has.Count.EqualTo(1), string.Join("\n", set.Errors));
        var e = set.Errors[0];
        Assert.That((e.File, e.Line, e.Field), Is.EqualTo((file, line, field)), e.ToString());
        Assert.That(e.Message, Does.Contain(message), e.ToString());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
