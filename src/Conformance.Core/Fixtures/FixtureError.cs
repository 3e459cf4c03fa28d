namespace Conformance.Harness.Fixtures;

/// <summary>One problem in a fixture file, located by file, line and field.</summary>
public sealed record FixtureError(string File, int Line, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}: [{Field}] {Message}";
}

/// <summary>Thrown when fixtures cannot be used; carries every error found, not just the first.</summary>
public sealed class FixtureException(IReadOnlyList<FixtureError> errors)
    : Exception($"{errors.Count} fixture error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<FixtureError> Errors { get; } = errors;
}
