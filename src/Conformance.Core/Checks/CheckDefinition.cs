using System.Runtime.CompilerServices;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Checks;

/// <summary>
/// One grammar check: its stable id, the level it judges at, and the requirement it guards, cited by catalog id
/// (fixtures/requirements/): the RFC section and the quoted sentence come from that entry, stored once however
/// many cases and checks cite it. Violations are made from it so every report names the rule.
/// </summary>
public sealed class CheckDefinition
{
    public CheckDefinition(string id, RequirementLevel level, string requirementId, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Id = id;
        Level = level;
        Citation = new RequirementCitation(requirementId, RequirementCitation.RepoRelative(file), line, $"response-grammar rule {id}");
    }

    public string Id { get; }

    public RequirementLevel Level { get; }

    /// <summary>The catalog entry the rule cites, and where.</summary>
    public RequirementCitation Citation { get; }

    private Requirement Cited => CitedRequirements.Get(Citation);

    public RfcReference Rfc => Cited.Rfc;

    /// <summary>The cited sentence, quoted from the catalog as every report shows it.</summary>
    public string Requirement => Cited.Shown;

    public Violation Violation(string message, long offset) => new(Id, Level, Rfc, Requirement, message, offset);

    /// <summary>For a check whose level or sentence depends on the case (a SHOULD that becomes a MUST NOT, cited by <paramref name="other"/>).</summary>
    public Violation Violation(string message, long offset, RequirementLevel level, RequirementCitation? other = null)
    {
        var cited = other is null ? Cited : CitedRequirements.Get(other);
        return new(Id, level, cited.Rfc, cited.Shown, message, offset);
    }

    public override string ToString() => Id;
}
