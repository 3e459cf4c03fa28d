using System.CommandLine;
using Conformance.Cli;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;

// The command line over the harness. `run` takes its options from RunSettingTable (flags win over
// CONFORMANCE_* variables); every problem with them ends in one message and exit code 2.

var lint = new Command("lint", "Check every fixture file; print each error with its file, line and field.");
lint.SetAction(_ =>
{
    var root = RepoPaths.Root();
    var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
    foreach (var e in set.Errors) Console.Error.WriteLine(e);
    Console.WriteLine($"{set.Cases.Count} cases in {set.FileCount} files citing {set.Requirements.Entries.Count} requirements ({set.Requirements.QuotesCheckedAgainstRfcText} quotes checked against stored RFC text), {set.Errors.Count} errors (fixtures {set.Sha256[..12]}…)");
    return set.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.BadUsage;
});

var list = new Command("list", "List the cases: id, area, level, RFC section and fixture line (browser cases: their catalog line).");
list.SetAction(_ =>
{
    var root = RepoPaths.Root();
    var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
    foreach (var c in set.Cases.Concat(Conformance.Harness.Browser.BrowserCatalog.Cases)) Console.WriteLine($"{c.Id,-60} {c.Area,-16} {c.Level.ToKeyword(),-6} {c.Rfc,-16} {c.Location}");
    return set.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.BadUsage;
});

var rootCommand = new RootCommand("HTTP/1.1 server conformance suite: byte-exact requests, judged against RFC 9110, 9112 and 6265.");
rootCommand.Subcommands.Add(RunCommand.Create());
rootCommand.Subcommands.Add(lint);
rootCommand.Subcommands.Add(list);
rootCommand.Subcommands.Add(DiffCommand.Create());
rootCommand.Subcommands.Add(MergeCommand.Create());
rootCommand.Subcommands.Add(BenchCommand.Create());
var settings = new Command("settings", "Print every setting of `run` (flag, variable, default, meaning) as the Markdown table of docs/settings.md.");
settings.SetAction(_ => Console.Write(RunSettingTable.Markdown()));
rootCommand.Subcommands.Add(settings);
rootCommand.Subcommands.Add(ProfileCommand.Create());

var parsed = rootCommand.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var line in UsageErrors.Explain(parsed)) Console.Error.WriteLine($"conformance: {line}");
    Console.Error.WriteLine($"conformance: see `conformance {(parsed.CommandResult.Command is RootCommand ? "" : parsed.CommandResult.Command.Name + " ")}--help`");
    return ExitCodes.BadUsage;
}
// Ctrl-C / SIGTERM cancel the action's token; the run then writes its partial reports (marked incomplete)
// and stops the servers it started. System.CommandLine kills the process if the action has not returned
// within this timeout (its default, 2 s, is shorter than stopping a bundled server can take).
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) }).ConfigureAwait(false);
