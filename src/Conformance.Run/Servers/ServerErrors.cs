namespace Conformance.Harness.Servers;

/// <summary>
/// A bundled server could not be started: its program is not installed, or it exited or never answered during
/// startup. The CLI turns this into exit code 3 (target or harness problem), never a conformance verdict.
/// </summary>
public class ServerLaunchException(string message) : Exception(message);

/// <summary>The server's program is not installed; the message says how to install it.</summary>
public sealed class ServerNotInstalledException(string message) : ServerLaunchException(message);
