namespace Conformance.Harness.Checks;

// API CONTRACT (implemented by the wire-layer work).
/// <summary>The checks run on every response, whatever the case is about (RFC-NOTES.md, "Response syntax").</summary>
public static class ResponseGrammar
{
    /// <summary>Every check's id, for reports and for the tests that prove each one can fail.</summary>
    public static IReadOnlyList<string> CheckIds => throw new NotImplementedException();

    public static IReadOnlyList<Violation> Check(ResponseContext context) => throw new NotImplementedException();
}
