namespace Conformance.Harness.Engine;

/// <summary>
/// A launched target whose process the suite watches. When it has died, every case that did not pass is an
/// ERROR naming the exit (a crashed server is a harness/target problem, never a conformance failure).
/// </summary>
public interface IMonitoredTarget
{
    /// <summary>Null while the server runs (or after the suite stopped it); else how it exited, with its log tail.</summary>
    string? ExitReport { get; }
}
