using System.CommandLine;
using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary>
/// `conformance run`: one option per row of <see cref="RunSettingTable"/>, resolved with the CONFORMANCE_*
/// variables by the table itself, then handed to the run driver.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var run = new Command("run", "Run the conformance cases against a target and write the reports (report.json, junit.xml, report.html, summary.md).");
        var options = new List<(RunSetting Setting, Option Option)>();
        foreach (var setting in RunSettingTable.All.Where(s => s.Flag is not null))
        {
            Option option = setting.IsSwitch
                ? new Option<bool>(setting.Flag!) { Description = setting.Description }
                : new Option<string?>(setting.Flag!) { Description = setting.Description, HelpName = setting.ValueName };
            run.Options.Add(option);
            options.Add((setting, option));
        }
        run.SetAction(async (parse, ct) =>
        {
            RunOptions resolved;
            try
            {
                var flags = new Dictionary<RunSetting, string>();
                foreach (var (setting, option) in options)
                {
                    // Given at all, even as "--strict false", the flag wins over its variable.
                    if (parse.GetResult(option) is null) continue;
                    var text = option is Option<bool> on ? parse.GetValue(on).ToString() : parse.GetValue((Option<string?>)option);
                    if (text is not null) flags[setting] = text;
                }
                resolved = RunSettingTable.Resolve(flags, Environment.GetEnvironmentVariable);
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"conformance: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadUsage;
            }
            if (resolved.Quiet && resolved.Verbose)
            {
                await Console.Error.WriteLineAsync("conformance: --quiet and --verbose ask for opposite amounts of output; give one of them").ConfigureAwait(false);
                return ExitCodes.BadUsage;
            }
            var console = RunConsole.ForStandardOutput();
            var detail = resolved.Quiet ? ConsoleDetail.Quiet : resolved.Verbose ? ConsoleDetail.Verbose : ConsoleDetail.Normal;
            void Say(string line)
            {
                // Errors stay visible even under --quiet, on stderr where a CI step shows them.
                if (line.StartsWith("conformance:", StringComparison.Ordinal)) Console.Error.WriteLine(line);
                else if (detail != ConsoleDetail.Quiet) console.WriteLine(line);
            }
            return await RunDriver.ExecuteAsync(resolved, ReferenceLauncher.Starter, Say, () => new ConsoleRunView(console, detail), ct).ConfigureAwait(false);
        });
        return run;
    }
}
