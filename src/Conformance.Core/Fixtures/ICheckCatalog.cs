namespace Conformance.Harness.Fixtures;

/// <summary>The named checks a fixture may reference, so the lint can reject unknown names and bad arguments.</summary>
public interface ICheckCatalog
{
    IReadOnlySet<string> Names { get; }

    /// <summary>Null when the arguments fit the check; otherwise what is wrong, e.g. "expects a grammar rule id".</summary>
    string? ValidateArguments(string name, IReadOnlyList<string> arguments);
}
