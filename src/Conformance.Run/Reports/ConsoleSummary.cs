using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Conformance.Harness.Reports;

/// <summary>How much a run prints: the verdict only, the usual end screen, or every case as well.</summary>
public enum ConsoleDetail
{
    Quiet,
    Normal,
    Verbose,
}

/// <summary>The exit code of a run and, in words, why it is that code.</summary>
public sealed record GateOutcome(int ExitCode, string Reason)
{
    public bool Passed => ExitCode == ExitCodes.Ok;

    /// <summary>
    /// Explains an exit code from what decided it: the report's verdicts, the gate mode, the snapshot step's
    /// last line ("snapshots: ..."), and the run's own message (unreachable, bad usage). Under --gate baseline
    /// an exit 0 beside FAILs is the approved state, and the reason says so rather than leaving the reader to
    /// wonder why failures passed.
    /// </summary>
    public static GateOutcome Explain(RunReport? report, int exitCode, GateMode mode, string? snapshotNote = null, string? message = null)
    {
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var gateName = mode == GateMode.Baseline ? "--gate baseline" : "--gate conformance";
        if (exitCode == ExitCodes.BadUsage)
            return new(exitCode, $"bad arguments, profile or fixtures{(message is { Length: > 0 } m ? ": " + FirstLine(m) : "")}");
        if (exitCode == ExitCodes.TargetOrHarness || report is null)
            return new(exitCode, $"nothing could be judged: {(message is { Length: > 0 } m2 ? FirstLine(m2) : "the target could not be reached or the harness could not run")}");

        var v = report.Summary.ByVerdict;
        int Count(Verdict verdict) => v.GetValueOrDefault(verdict.ToLabel());
        var fail = Count(Verdict.Fail);
        var error = Count(Verdict.Error);
        var warn = Count(Verdict.Warn);
        var strict = report.Run.Strict;
        var changed = snapshotNote is not null && snapshotNote.Contains("unapproved", StringComparison.Ordinal);

        if (exitCode == ExitCodes.Ok)
        {
            if (mode == GateMode.Baseline)
                return new(exitCode, fail + error > 0
                    ? $"{gateName}: every verdict and transcript matches the approved baselines, so the {N(fail + error)} FAIL/ERROR case(s) are known and approved, not new"
                    : $"{gateName}: every verdict and transcript matches the approved baselines");
            return new(exitCode, strict
                ? $"{gateName} --strict: no FAIL, ERROR or WARN"
                : warn > 0 ? $"{gateName}: no FAIL or ERROR ({N(warn)} WARN do not fail the gate without --strict)" : $"{gateName}: no FAIL or ERROR");
        }

        var causes = new List<string>();
        // Accepting (or a baseline gate without a verdict-changing snapshot) leaves the verdicts' own exit code.
        var accepted = snapshotNote is not null && snapshotNote.Contains(" accepted", StringComparison.Ordinal);
        if (mode == GateMode.Conformance || (!changed && accepted))
        {
            if (fail > 0) causes.Add($"{N(fail)} FAIL");
            if (error > 0) causes.Add($"{N(error)} ERROR");
            if (strict && warn > 0) causes.Add($"{N(warn)} WARN under --strict");
        }
        if (!report.Run.Complete) causes.Add($"the run is incomplete{(report.Run.Note is { Length: > 0 } note ? " (" + FirstLine(note) + ")" : "")}");
        if (changed) causes.Add(SnapshotCause(snapshotNote!));
        if (causes.Count == 0) causes.Add(snapshotNote ?? "see the messages above");
        if (accepted) return new(exitCode, $"snapshots were accepted, not verified, so the verdicts decide: {string.Join("; ", causes)}");
        var rule = mode == GateMode.Baseline ? "fails on any change against the approved baselines" : strict ? "fails on any FAIL, ERROR or WARN" : "fails on any FAIL or ERROR";
        return new(exitCode, $"{gateName} {rule}: {string.Join("; ", causes)}");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].TrimEnd('\r');

    /// <summary>"snapshots: 3 unapproved change(s) against DIR; review ..." → "3 unapproved change(s) against DIR".</summary>
    private static string SnapshotCause(string note)
    {
        var text = note.StartsWith("snapshots: ", StringComparison.Ordinal) ? note["snapshots: ".Length..] : note;
        var end = text.IndexOf(';', StringComparison.Ordinal);
        return end > 0 ? text[..end] + " (approve with --accept after review)" : text;
    }
}

/// <summary>
/// The end of every run on the console. The last screen holds the verdict: the per-area table, the
/// failures grouped by the rule they broke (count and one example each), warnings by rule, skips by
/// reason, where the reports are, and last the certification statement and the gate's result with the
/// reason for the exit code. Coloured on a terminal; the same words as plain text in a CI log.
/// </summary>
public static class ConsoleSummary
{
    private static readonly Verdict[] Columns = [Verdict.Pass, Verdict.Fail, Verdict.Warn, Verdict.Info, Verdict.Skip, Verdict.Error];

    /// <summary>Rule groups shown with an example each; the rest are counted in one line.</summary>
    public const int TopFailRules = 8;
    public const int TopWarnRules = 5;

    /// <summary>The summary as plain text (no colour, no control codes): for ReportMerge, the NUnit log and tests.</summary>
    public static string Render(RunReport report, string? reportDirectory, GateOutcome? gate = null, ConsoleDetail detail = ConsoleDetail.Normal)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(RunConsole.Plain(text), report, reportDirectory, gate, detail);
        return text.ToString();
    }

    public static void Write(IAnsiConsole console, RunReport report, string? reportDirectory, GateOutcome? gate = null, ConsoleDetail detail = ConsoleDetail.Normal)
    {
        var cert = report.Certification ?? Certification.From(report);
        if (detail != ConsoleDetail.Quiet)
        {
            console.WriteLine();
            if (detail == ConsoleDetail.Verbose) CaseDetails(console, report);
            if (console.Profile.Capabilities.Interactive) console.Write(new Rule("[bold]result[/]").LeftJustified().RuleStyle("grey"));
            else console.WriteLine("== result");
            console.MarkupLine(Markup.Escape($"HTTP/1.1 conformance {report.Suite.Version} against {report.Target.Url} (profile {report.Target.Profile}{(report.Target.ServerIdentity is { } s ? ", server \"" + s + "\"" : "")})"));
            console.MarkupLine("[grey]" + Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"seed {report.Seed}, fixtures {report.Fixtures.Sha256[..Math.Min(12, report.Fixtures.Sha256.Length)]}…, {report.Summary.Total} cases in {report.Run.DurationMs / 1000:0.00} s{(report.Run.Complete ? "" : " — INCOMPLETE")}")) + "[/]");
            if (report.Target.Tls is { } tls) console.MarkupLine("[grey]" + Markup.Escape("TLS: " + tls.Summary) + "[/]");
            console.Write(AreaTable(report));
            FailureGroups(console, report);
            WarnGroups(console, report);
            Errors(console, report);
            Skips(console, report);
            // Coverage lost and coverage kept on weaker evidence, by area, with the role that would bring it in.
            foreach (var line in CoverageLines.For(report)) console.WriteLine(line);
            if (reportDirectory is not null) Where(console, reportDirectory);
        }
        else if (reportDirectory is not null)
        {
            console.WriteLine($"reports: {Path.Combine(reportDirectory, HtmlReportWriter.FileName)}");
        }
        VerdictLines(console, cert, gate);
    }

    private static Table AreaTable(RunReport report)
    {
        var table = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey);
        table.AddColumn("area");
        foreach (var c in Columns) table.AddColumn(new TableColumn(c.ToLabel()).RightAligned());
        foreach (var (area, counts) in report.Summary.ByArea) table.AddRow(Row(area, counts, bold: false));
        table.AddRow(Row("total", report.Summary.ByVerdict, bold: true));
        return table;
    }

    private static IRenderable[] Row(string label, IReadOnlyDictionary<string, int> counts, bool bold)
    {
        var cells = new List<IRenderable> { new Markup(bold ? "[bold]" + Markup.Escape(label) + "[/]" : Markup.Escape(label)) };
        foreach (var c in Columns)
        {
            var n = counts.GetValueOrDefault(c.ToLabel());
            var text = n.ToString(CultureInfo.InvariantCulture);
            cells.Add(new Markup(n == 0 ? "[grey]" + text + "[/]" : $"[{Colour(c)}]{text}[/]"));
        }
        return [.. cells];
    }

    private static string Colour(Verdict v) => v switch
    {
        Model.Verdict.Pass => "green",
        Model.Verdict.Fail => "red",
        Model.Verdict.Warn => "yellow",
        Model.Verdict.Info => "blue",
        Model.Verdict.Error => "magenta",
        _ => "grey",
    };

    private static void FailureGroups(IAnsiConsole console, RunReport report)
    {
        var groups = RuleGroups.Of(report, "FAIL");
        if (groups.Count == 0) return;
        var cases = report.Summary.ByVerdict.GetValueOrDefault("FAIL");
        console.WriteLine();
        console.MarkupLine($"[bold red]FAIL[/][bold] by broken rule[/] ({Markup.Escape(Plural(cases, "case"))}, {Markup.Escape(Plural(groups.Count, "rule"))}):");
        foreach (var g in groups.Take(TopFailRules))
        {
            console.MarkupLine($"  [bold red]{g.Count,4}[/]  [bold]{Markup.Escape(g.Title)}[/]{(g.Level is { } l ? " " + Markup.Escape(l) : "")}: {Markup.Escape(g.ShortRequirement())}");
            console.MarkupLine($"        [grey]e.g.[/] {Markup.Escape(g.CaseIds[0])} [grey]—[/] {Markup.Escape(Cut(g.ExampleEvidence(), 140))}{(g.Example.Location is { } loc ? " [grey](" + Markup.Escape(loc) + ")[/]" : "")}");
        }
        if (groups.Count > TopFailRules)
            console.MarkupLine($"  [grey]… {Markup.Escape(Plural(groups.Count - TopFailRules, "more rule"))} ({Markup.Escape(Plural(groups.Skip(TopFailRules).Sum(g => g.Count), "case"))}): see report.html or summary.md[/]");
    }

    private static void WarnGroups(IAnsiConsole console, RunReport report)
    {
        var groups = RuleGroups.Of(report, "WARN");
        if (groups.Count == 0) return;
        console.WriteLine();
        console.MarkupLine($"[bold yellow]WARN[/][bold] by rule[/] ({Markup.Escape(Plural(report.Summary.ByVerdict.GetValueOrDefault("WARN"), "case"))}, {Markup.Escape(Plural(groups.Count, "rule"))}):");
        foreach (var g in groups.Take(TopWarnRules))
            console.MarkupLine($"  [yellow]{g.Count,4}[/]  {Markup.Escape(g.Title)}{(g.Level is { } l ? " " + Markup.Escape(l) : "")}: {Markup.Escape(g.ShortRequirement(90))}");
        if (groups.Count > TopWarnRules)
            console.MarkupLine($"  [grey]… {Markup.Escape(Plural(groups.Count - TopWarnRules, "more rule"))}[/]");
    }

    private static void Errors(IAnsiConsole console, RunReport report)
    {
        var errors = report.Cases.Where(c => c.Verdict == "ERROR").ToList();
        if (errors.Count == 0) return;
        console.WriteLine();
        console.MarkupLine($"[bold magenta]ERROR[/][bold]: {Markup.Escape(Plural(errors.Count, "case"))} could not be judged[/]:");
        foreach (var c in errors.Take(5))
            console.MarkupLine($"  {Markup.Escape(c.Id)} [grey]—[/] {Markup.Escape(Cut(c.Reason ?? c.Findings.FirstOrDefault()?.Message.Split('\n')[0] ?? "", 150))}");
        if (errors.Count > 5) console.MarkupLine($"  [grey]… {Markup.Escape(Plural(errors.Count - 5, "more"))}[/]");
    }

    private static void Skips(IAnsiConsole console, RunReport report)
    {
        var skips = RuleGroups.Skips(report);
        if (skips.Count == 0) return;
        console.WriteLine();
        console.MarkupLine($"[bold]SKIP[/]: {Markup.Escape(Plural(skips.Sum(s => s.Count), "case"))} not run on this target:");
        foreach (var (reason, count) in skips.Take(5)) console.MarkupLine($"  [grey]{count,4}[/]  {Markup.Escape(Cut(reason, 150))}");
        if (skips.Count > 5) console.MarkupLine($"  [grey]… {Markup.Escape(Plural(skips.Count - 5, "more reason"))}[/]");
    }

    private static void Where(IAnsiConsole console, string reportDirectory)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]reports[/]: {Markup.Escape(Path.Combine(reportDirectory, HtmlReportWriter.FileName))}");
        console.MarkupLine($"  [grey]also {JsonReport.FileName}, {JUnitReportWriter.FileName}, {MarkdownSummaryWriter.FileName} in that folder[/]");
    }

    private static void VerdictLines(IAnsiConsole console, Certification cert, GateOutcome? gate)
    {
        console.WriteLine();
        var colour = cert.ConformsAtMust ? "green" : "red";
        console.MarkupLine($"[bold {colour}]{Markup.Escape(cert.Statement)}[/]");
        console.MarkupLine("[grey]" + Markup.Escape(cert.CountsLine()) + "[/]");
        if (gate is null) return;
        var label = gate.Passed ? "[bold black on green] GATE PASSED [/]" : "[bold white on red] GATE FAILED [/]";
        console.MarkupLine($"{label} exit {gate.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Markup.Escape(gate.Reason)}");
    }

    /// <summary>--verbose: each FAIL, ERROR and WARN with every deciding finding, in fixture order.</summary>
    private static void CaseDetails(IAnsiConsole console, RunReport report)
    {
        foreach (var failing in report.Cases.Where(c => c.Verdict is "FAIL" or "ERROR" or "WARN"))
        {
            // The headline names the rule that decided the verdict, at its own level (a MUST Date finding in a SHOULD case).
            console.MarkupLine($"[{Colour(ParseVerdict(failing.Verdict))}]{Markup.Escape(failing.Verdict)}[/] [bold]{Markup.Escape(failing.Id)}[/] [grey]({Markup.Escape(failing.HeadlineLevel)}, {Markup.Escape(failing.HeadlineRfc)}{(failing.DecidedBy is { } d ? ", " + Markup.Escape(d.Rule) : "")}) — {Markup.Escape(failing.Source)}[/]");
            if (failing.Reason is { } reason) console.WriteLine("  " + reason);
            foreach (var f in failing.Findings.Where(f => f.Verdict == failing.Verdict))
                console.WriteLine("  " + f.Message.Replace("\n", "\n  ", StringComparison.Ordinal));
            console.WriteLine();
        }
    }

    private static Verdict ParseVerdict(string label) => Enum.GetValues<Verdict>().FirstOrDefault(v => v.ToLabel() == label, Model.Verdict.Info);

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";

    private static string Cut(string text, int max)
    {
        var one = text.ReplaceLineEndings(" ");
        return one.Length <= max ? one : one[..(max - 1)] + "…";
    }
}

/// <summary>The console a run writes to: colour and live progress on a terminal, plain text elsewhere.</summary>
public static class RunConsole
{
    /// <summary>Width used when the output is not a terminal (CI logs): no line is ever wrapped; the log viewer does that.</summary>
    public const int PlainWidth = 4000;

    /// <summary>
    /// The console for standard output. Colour only on a terminal and only without NO_COLOR (no-color.org:
    /// any non-empty value); redirected output gets plain text, no control codes, no live redraws.
    /// </summary>
    public static IAnsiConsole ForStandardOutput() =>
        Create(Console.Out, isTerminal: !Console.IsOutputRedirected, noColor: Environment.GetEnvironmentVariable("NO_COLOR"));

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, string? noColor)
    {
        if (!isTerminal) return Plain(writer);
        var colour = string.IsNullOrEmpty(noColor);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Yes,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        return console;
    }

    /// <summary>Plain text: no colour, no cursor movement, a fixed wide width.</summary>
    public static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = PlainWidth;
        return console;
    }

    /// <summary>True when the console draws colour (a terminal without NO_COLOR).</summary>
    public static bool HasColour(IAnsiConsole console) => console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;
}
