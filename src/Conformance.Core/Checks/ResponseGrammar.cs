using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Checks;

/// <summary>The checks run on every response, whatever the case is about (RFC-NOTES.md, "Response syntax").</summary>
public static class ResponseGrammar
{
    /// <summary>Every check, in the order a message flows: status line, lines, fields, Date, framing.</summary>
    public static IReadOnlyList<CheckDefinition> Definitions { get; } =
    [
        .. StatusLineChecks.Definitions,
        .. LineChecks.Definitions,
        .. FieldChecks.Definitions,
        .. DateChecks.Definitions,
        .. FramingChecks.Definitions,
    ];

    /// <summary>Every catalog id the rules cite, with the citing line: the lint counts them and rejects an unknown one.</summary>
    public static IEnumerable<RequirementCitation> Citations =>
        [.. Definitions.Select(d => d.Citation), .. StatusLineChecks.FurtherCitations, .. FramingChecks.FurtherCitations];

    /// <summary>Every check's id, for reports and for the tests that prove each one can fail.</summary>
    public static IReadOnlyList<string> CheckIds { get; } = [.. Definitions.Select(d => d.Id)];

    public static IReadOnlyList<Violation> Check(ResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var found = new List<Violation>();
        StatusLineChecks.Run(context, found);
        LineChecks.Run(context, found);
        FieldChecks.Run(context, found);
        DateChecks.Run(context, found);
        FramingChecks.Run(context, found);
        return found;
    }
}
