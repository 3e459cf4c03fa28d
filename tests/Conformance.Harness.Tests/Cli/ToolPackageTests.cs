using System.Diagnostics;
using System.Reflection;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// The product as a server project gets it: `dotnet pack` makes the `conformance` tool, `dotnet tool install
/// --tool-path` installs it from a local folder, and it runs against the reference target from a folder far
/// from any checkout, reading the fixtures it carries. What docs/ci.md, action.yml and tools/ci/ do.
/// </summary>
[NonParallelizable]
public sealed class ToolPackageTests
{
    private const string PackageId = "Http11.Conformance";

    /// <summary>Packing and installing the tool, then a short run, on a busy two-core machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(8);

    [Test]
    public async Task The_packed_tool_installs_from_a_folder_and_runs_the_shipped_fixtures_against_the_reference_target()
    {
        var work = Reports.TestReports.TempDir();
        var packages = Path.Combine(work, "packages");
        var toolPath = Path.Combine(work, "tool");
        var elsewhere = Directory.CreateDirectory(Path.Combine(work, "server-project")).FullName;
        var config = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var version = typeof(RunSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var pack = await RunAsync(dotnet, ["pack", Path.Combine(RepoPaths.Root(), "src", "Conformance.Cli"), "-c", config, "--no-build", "-o", packages, "--nologo"], RepoPaths.Root());
        Assert.That(pack.ExitCode, Is.EqualTo(0), pack.Output);
        Assert.That(File.Exists(Path.Combine(packages, $"{PackageId}.{version}.nupkg")), Is.True, pack.Output);

        // A package cache of its own: a package of the same version installed earlier (before the fixtures
        // changed) would otherwise be taken from the machine's cache instead of the one just packed.
        var install = await RunAsync(dotnet, ["tool", "install", PackageId, "--version", version, "--tool-path", toolPath, "--add-source", packages, "--ignore-failed-sources"], elsewhere,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-packages") });
        Assert.That(install.ExitCode, Is.EqualTo(0), install.Output);

        var conformance = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "conformance.exe" : "conformance");
        var output = Path.Combine(elsewhere, "out");
        // One browser case too: the installed tool drives Chromium with nothing beside it (no driver to unpack).
        const string browserCase = "browser-missing-shows-404-page";
        var run = await RunAsync(conformance, ["run", "--seed", "1", "--filter", $"status-line,{browserCase}", "--no-screenshot", "--out", output], elsewhere);

        // Exit 0 or 1 is a verdict; 2 or 3 would mean the tool could not find its fixtures or its target.
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok).Or.EqualTo(ExitCodes.ConformanceFailures), run.Output);
        var report = JsonReport.Read(Path.Combine(output, JsonReport.FileName));
        var checkout = FixtureSet.Load(RepoPaths.Cases(RepoPaths.Root()), RepoPaths.Root(), NamedCheckRegistry.Default);
        Assert.That(report.Fixtures.Sha256, Is.EqualTo(checkout.Sha256), "the tool carries exactly this checkout's fixtures");
        Assert.That(report.Run.Complete, Is.True, report.Run.Note);
        Assert.That(report.Target.Profile, Is.EqualTo("reference"));
        Assert.That(report.Cases.Select(c => c.Id), Is.SupersetOf(CaseFilter.Apply(checkout.Cases, "status-line").Select(c => c.Id)));
        Assert.That(report.Cases.Select(c => c.Verdict), Has.None.EqualTo("ERROR"), run.Output);
        if (HtmlScreenshot.IsAvailable)
            Assert.That(report.Cases.Single(c => c.Id == browserCase).Verdict, Is.EqualTo("PASS"), run.Output);

        var help = await RunAsync(conformance, ["run", "--help"], elsewhere);
        Assert.That(help.Output, Does.Contain("--target <URL>").And.Contain(RunOptions.Env.Target));
    }

    private sealed record Outcome(int ExitCode, string Output);

    private static async Task<Outcome> RunAsync(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // Only what a server project's CI would have: no CONFORMANCE_* settings, no checkout to fall back on.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CONFORMANCE_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {Bound}");
        }
        return new Outcome(process.ExitCode, $"$ {file} {string.Join(' ', args)}\n{await stdout}{await stderr}");
    }
}
