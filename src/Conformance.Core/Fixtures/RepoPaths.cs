namespace Conformance.Harness.Fixtures;

/// <summary>
/// Finds the fixtures and the reports' folders, from a repository checkout or from the installed .NET tool,
/// which carries a copy of fixtures/ beside its own files.
/// </summary>
public static class RepoPaths
{
    private const string Marker = "Conformance.sln";

    /// <summary>Names the folder to read fixtures/ (and reports/baselines/) from, overriding every search.</summary>
    public const string RootVariable = "CONFORMANCE_ROOT";

    /// <summary>
    /// The root: <see cref="RootVariable"/> if set; else the nearest ancestor holding Conformance.sln (of
    /// <paramref name="start"/>, the program's folder, then the current folder); else the program's own folder
    /// when it holds fixtures/cases, as the packed tool does.
    /// </summary>
    public static string Root(string? start = null)
    {
        var env = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var origin in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        }
        var installed = Path.GetFullPath(AppContext.BaseDirectory);
        if (Directory.Exists(Cases(installed))) return installed;
        throw new DirectoryNotFoundException($"cannot find the fixtures: no folder holding {Marker} above {AppContext.BaseDirectory} or the current folder, and no fixtures/cases beside the program; set {RootVariable}");
    }

    /// <summary>
    /// True when <paramref name="root"/> is a place to write to: a repository checkout or the folder the user
    /// named. The installed tool's own folder is not: its runs and baselines belong to the current folder.
    /// </summary>
    public static bool IsWorkspace(string root) =>
        File.Exists(Path.Combine(root, Marker)) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RootVariable));

    public static string Cases(string root) => Path.Combine(root, "fixtures", "cases");

    /// <summary>The requirement catalog the cases cite: fixtures/requirements/.</summary>
    public static string Requirements(string root) => Path.Combine(root, "fixtures", "requirements");

    /// <summary>The requirements/ folder beside a cases folder, so a fixture tree elsewhere carries its own catalog.</summary>
    public static string RequirementsBeside(string casesDirectory) =>
        Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(casesDirectory)))!, "requirements");

    public static string Targets(string root) => Path.Combine(root, "fixtures", "targets");

    public static string Servers(string root) => Path.Combine(root, "fixtures", "servers");

    public static string Runs(string root) => Path.Combine(Workspace(root), "reports", "runs");

    public static string Baselines(string root) => Path.Combine(Workspace(root), "reports", "baselines");

    private static string Workspace(string root) => IsWorkspace(root) ? root : Directory.GetCurrentDirectory();
}
