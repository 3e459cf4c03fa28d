using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Servers;

/// <summary>
/// The servers the suite can start itself, by the names --server and CONFORMANCE_SERVER take. Both entry
/// points (CLI, NUnit) resolve a name here, so they start and stop servers the same way.
/// </summary>
public static class BundledTargets
{
    public const string Reference = "reference";
    public const string All = "all";

    /// <summary>Every startable target, in matrix order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Reference, .. BundledServer.Names];

    /// <summary>Throws <see cref="UsageException"/> naming the valid values.</summary>
    public static string Validate(string name, string source, bool allowAll)
    {
        if (Names.Contains(name, StringComparer.Ordinal) || (allowAll && name == All)) return name;
        var valid = string.Join(", ", allowAll ? [.. Names, All] : Names);
        throw new UsageException($"{source}: unknown server \"{name}\"; expected one of {valid}{Model.NearestName.Hint(name, allowAll ? [.. Names, All] : Names)}");
    }

    /// <summary>reports/runs/&lt;server&gt;/&lt;time&gt;: the run's reports, with the server's own folder under server/.</summary>
    public static string DefaultRunDirectory(string server) =>
        Path.Combine(RepoPaths.Runs(RepoPaths.Root()), server, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture));

    /// <summary>
    /// The start delegate RunSession.OpenAsync takes: the reference server as given, or the bundled real server
    /// laid out under &lt;runDirectory&gt;/server/ (config, site, logs, pid).
    /// </summary>
    public static Func<CancellationToken, Task<ILaunchedTarget>> Starter(string server, string runDirectory, Func<CancellationToken, Task<ILaunchedTarget>> startReference)
    {
        if (server == Reference) return startReference;
        var bundled = BundledServer.ByName(server) ?? throw new UsageException($"unknown server \"{server}\"");
        return async ct => await bundled.StartAsync(Path.Combine(runDirectory, "server"), ct).ConfigureAwait(false);
    }
}
