using System.CommandLine;
using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;

namespace Conformance.Cli;

/// <summary>`conformance merge A.json B.json ... --out DIR`: the shards of a CI matrix become one run.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var reports = new Argument<string[]>("reports") { Description = "report.json of each shard.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Folder for the merged reports (default reports/runs/<profile>/<time>-merged)." };
        var merge = new Command("merge", "Join the report.json files of the shards of one run (--shard k/n) into one run: report.json, junit.xml, report.html, summary.md and the certification are regenerated. Exit 2 when the reports are not of one run.");
        merge.Arguments.Add(reports);
        merge.Options.Add(output);
        merge.SetAction(async parse =>
        {
            var paths = parse.GetValue(reports)!;
            var dir = parse.GetValue(output) ?? DefaultFolder(paths[0]);
            var exit = ReportMerge.Run(paths, dir, ReportWriters.All(), Console.Out, Console.Error);
            await RunDriver.ScreenshotAsync(dir, null, Console.WriteLine).ConfigureAwait(false);
            return exit;
        });
        return merge;
    }

    private static string DefaultFolder(string firstReport)
    {
        var profile = "merged";
        try
        {
            profile = JsonReport.Read(firstReport).Target.Profile;
        }
        catch (InvalidDataException)
        {
            // ReportMerge.Run names the unreadable file; the folder name only needs a fallback.
        }
        return Path.Combine(RepoPaths.Runs(RepoPaths.Root()), profile, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-merged");
    }
}
