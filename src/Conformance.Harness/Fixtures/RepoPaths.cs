namespace Conformance.Harness.Fixtures;

/// <summary>Finds the repository's folders from wherever a build output runs.</summary>
public static class RepoPaths
{
    private const string Marker = "Conformance.sln";

    /// <summary>The repository root: CONFORMANCE_ROOT if set, else the nearest ancestor holding Conformance.sln.</summary>
    public static string Root(string? start = null)
    {
        var env = Environment.GetEnvironmentVariable("CONFORMANCE_ROOT");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var origin in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"cannot find the repository root (a folder holding {Marker}) above {AppContext.BaseDirectory}; set CONFORMANCE_ROOT");
    }

    public static string Cases(string root) => Path.Combine(root, "fixtures", "cases");

    public static string Targets(string root) => Path.Combine(root, "fixtures", "targets");

    public static string Runs(string root) => Path.Combine(root, "reports", "runs");

    public static string Baselines(string root) => Path.Combine(root, "reports", "baselines");
}
