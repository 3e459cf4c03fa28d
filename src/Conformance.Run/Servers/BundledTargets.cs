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

    /// <summary>The targets that can serve HTTPS with a per-run certificate (--tls).</summary>
    public static IReadOnlyList<string> TlsCapable { get; } = [Reference, .. BundledServer.Names.Where(n => BundledServer.ByName(n)!.SupportsTls)];

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
    /// <param name="tls">With --tls: makes the run's certificate (under server/tls/) for the server to serve.</param>
    public static Func<CancellationToken, Task<ILaunchedTarget>> Starter(string server, string runDirectory, Func<CancellationToken, Task<ILaunchedTarget>> startReference,
        Func<RunCertificate>? tls = null)
    {
        if (server == Reference) return startReference;
        var bundled = BundledServer.ByName(server) ?? throw new UsageException($"unknown server \"{server}\"");
        return async ct => await bundled.StartAsync(Path.Combine(runDirectory, "server"), ct, tls?.Invoke()).ConfigureAwait(false);
    }

    /// <summary>Where the run's certificate goes: &lt;run&gt;/server/tls/.</summary>
    public static string CertificateDirectory(string runDirectory) => Path.Combine(runDirectory, "server", RunCertificate.Folder);
}
