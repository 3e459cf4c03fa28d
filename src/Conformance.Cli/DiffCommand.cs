using System.CommandLine;
using Conformance.Harness.Engine;
using Conformance.Harness.Reports;

namespace Conformance.Cli;

/// <summary>
/// `conformance diff old/report.json new/report.json [--out DIR] [--strict]`: compares two runs and maps the
/// result to an exit code (docs/baselines.md): 0 no regression, 1 a regression (lost coverage included),
/// 2 a report that cannot be read.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var oldReport = new Argument<string>("old") { Description = "report.json of the earlier run." };
        var newReport = new Argument<string>("new") { Description = "report.json of the later run." };
        var diffOut = new Option<string?>("--out") { Description = $"Folder to write {ReportDiff.MarkdownFileName} and {ReportDiff.HtmlFileName} into." };
        var diffStrict = new Option<bool>("--strict") { Description = "Count PASS -> WARN as a regression too." };
        var diff = new Command("diff", "Compare two report.json files: verdicts, findings and the bytes received. Regressions (newly failing, newly skipped, removed), fixes, changes and additions, each case listed once. Exit 1 on any regression.");
        diff.Arguments.Add(oldReport);
        diff.Arguments.Add(newReport);
        diff.Options.Add(diffOut);
        diff.Options.Add(diffStrict);
        diff.SetAction(parse => Run(parse.GetValue(oldReport)!, parse.GetValue(newReport)!, parse.GetValue(diffOut), parse.GetValue(diffStrict), Console.Out, Console.Error));
        return diff;
    }

    public static int Run(string oldPath, string newPath, string? outDirectory, bool strict, TextWriter stdout, TextWriter stderr)
    {
        ReportDiffResult diff;
        try
        {
            diff = ReportDiff.Load(oldPath, newPath, strict, outDirectory ?? Directory.GetCurrentDirectory());
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"conformance diff: {e.Message}");
            return ExitCodes.BadUsage;
        }
        stdout.Write(ReportDiff.RenderMarkdown(diff));
        if (outDirectory is not null)
        {
            var (md, html) = ReportDiff.Write(diff, outDirectory);
            stdout.WriteLine($"\nwritten: {md}, {html}");
        }
        return diff.HasRegressions ? ExitCodes.ConformanceFailures : ExitCodes.Ok;
    }
}
