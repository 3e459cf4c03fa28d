namespace Conformance.Harness.Engine;

/// <summary>A bad argument, variable, profile or fixture: exit code 2, with a message that says what to fix.</summary>
public sealed class UsageException(string message) : Exception(message);
