using System.Diagnostics;
using System.Reflection;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// Starts the built CLI (src/Conformance.Cli, same configuration as these tests) as a process, the way a
/// user or CI does, with a bounded wait. CONFORMANCE_* variables of the test environment are removed so
/// only what a test passes reaches the CLI.
/// </summary>
internal static class CliProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static string Dll
    {
        get
        {
            var config = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return Path.Combine(RepoPaths.Root(), "src", "Conformance.Cli", "bin", config, tfm, "conformance.dll");
        }
    }

    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CONFORMANCE_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        start.Environment["CONFORMANCE_NO_SCREENSHOT"] = "true";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start the CLI");
    }

    public static async Task<Outcome> RunAsync(params string[] args) => await RunAsync(args, null);

    public static async Task<Outcome> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, Func<Process, Task>? whileRunning = null)
    {
        using var process = Start(args, env);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (whileRunning is not null) await whileRunning(process);
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the CLI did not exit within {Bound}: {await stdout}{await stderr}");
        }
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The CLI must explain itself in words: no .NET exception, type name or stack frame.</summary>
    public static void AssertNoStackTrace(Outcome o)
    {
        Assert.That(o.All, Does.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Contain("System."), o.ToString());
    }
}
