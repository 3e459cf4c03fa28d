using Conformance.Harness.Browser;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Engine;

/// <summary>
/// The fixtures as the product reads them: every case file and the requirement catalog, linted together with the
/// catalog ids the code cites (the response-grammar rules, the engine's own findings, the browser cases). Only this
/// layer sees all of that code, so the lint's "an entry no case cites" and "an unknown id" cover it from here.
/// </summary>
public static class ProductFixtures
{
    /// <summary>Every catalog id cited from code, with the citing line.</summary>
    public static IReadOnlyList<RequirementCitation> CodeCitations => [.. CoreCitations.All, .. BrowserCatalog.Citations, .. BrowserProbes.Citations];

    public static FixtureSet Load(string root, ICheckCatalog checks) =>
        FixtureSet.Load(RepoPaths.Cases(root), root, checks, codeCitations: CodeCitations);
}
