using Conformance.Harness.Model;

namespace Conformance.Harness.Checks;

/// <summary>
/// One grammar check: its stable id, the level of the requirement it guards, the RFC section and the
/// requirement sentence quoted from it. Violations are made from it so every report names the rule.
/// </summary>
public sealed record CheckDefinition(string Id, RequirementLevel Level, RfcReference Rfc, string Requirement)
{
    public Violation Violation(string message, long offset) => new(Id, Level, Rfc, Requirement, message, offset);

    /// <summary>For a check whose level or section depends on the case (e.g. a SHOULD that becomes a MUST NOT).</summary>
    public Violation Violation(string message, long offset, RequirementLevel level, RfcReference? rfc = null, string? requirement = null) =>
        new(Id, level, rfc ?? Rfc, requirement ?? Requirement, message, offset);
}
