using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>One case whose verdict differs between two reports (or exists in only one).</summary>
public sealed record CaseChange(string Id, string Area, string Level, string? OldVerdict, string? NewVerdict, string? Requirement, string? Source);

/// <summary>What changed between two builds of a server: the maintainer's view of two report.json files.</summary>
public sealed record ReportDiffResult
{
    public required RunReport Old { get; init; }
    public required RunReport New { get; init; }
    public required bool Strict { get; init; }

    /// <summary>Was passing (PASS/INFO/SKIP/WARN) and now FAIL/ERROR; under strict also PASS/INFO → WARN.</summary>
    public required IReadOnlyList<CaseChange> Regressions { get; init; }

    /// <summary>Was FAIL/ERROR/WARN and now PASS/INFO.</summary>
    public required IReadOnlyList<CaseChange> Fixed { get; init; }

    /// <summary>Every verdict change, regressions and fixes included.</summary>
    public required IReadOnlyList<CaseChange> Changed { get; init; }
    public required IReadOnlyList<CaseChange> Added { get; init; }
    public required IReadOnlyList<CaseChange> Removed { get; init; }

    public bool HasRegressions => Regressions.Count > 0;
}

public static class ReportDiff
{
    public const string MarkdownFileName = "diff.md";
    public const string HtmlFileName = "diff.html";

    public static ReportDiffResult Compare(RunReport old, RunReport @new, bool strict)
    {
        var before = old.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var after = @new.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        static CaseChange Change(CaseReport? o, CaseReport? n) => new(
            (n ?? o)!.Id, (n ?? o)!.Area, (n ?? o)!.Level, o?.Verdict, n?.Verdict, (n ?? o)!.Requirement, (n ?? o)!.Source);

        var changed = @new.Cases.Where(n => before.TryGetValue(n.Id, out var o) && o.Verdict != n.Verdict)
            .Select(n => Change(before[n.Id], n)).ToList();
        return new ReportDiffResult
        {
            Old = old,
            New = @new,
            Strict = strict,
            Changed = changed,
            Regressions = changed.Where(c => IsRegression(c.OldVerdict!, c.NewVerdict!, strict)).ToList(),
            Fixed = changed.Where(c => c.OldVerdict is "FAIL" or "ERROR" or "WARN" && c.NewVerdict is "PASS" or "INFO").ToList(),
            Added = @new.Cases.Where(n => !before.ContainsKey(n.Id)).Select(n => Change(null, n)).ToList(),
            Removed = old.Cases.Where(o => !after.ContainsKey(o.Id)).Select(o => Change(o, null)).ToList(),
        };
    }

    public static bool IsRegression(string oldVerdict, string newVerdict, bool strict)
        => (oldVerdict is "PASS" or "INFO" or "SKIP" or "WARN" && newVerdict is "FAIL" or "ERROR")
           || (strict && oldVerdict is "PASS" or "INFO" && newVerdict == "WARN");

    public static string RenderMarkdown(ReportDiffResult d)
    {
        var sb = new StringBuilder();
        sb.Append("## Conformance diff\n\n");
        sb.Append("old: ").Append(Describe(d.Old)).Append("  \nnew: ").Append(Describe(d.New)).Append("\n\n");
        if (d.Old.Fixtures.Sha256 != d.New.Fixtures.Sha256) sb.Append("Note: the fixture sets differ, so some changes may come from the cases, not the server.\n\n");
        sb.Append(d.HasRegressions ? "❌ " : "✅ ").Append(string.Create(CultureInfo.InvariantCulture,
            $"**{d.Regressions.Count} regressions**, {d.Fixed.Count} fixed, {d.Changed.Count} changed, {d.Added.Count} added, {d.Removed.Count} removed{(d.Strict ? " (strict: PASS → WARN counts)" : "")}.\n"));
        Section(sb, "Regressions (newly failing)", d.Regressions);
        Section(sb, "Fixed", d.Fixed);
        Section(sb, "Changed (every verdict change)", d.Changed);
        Section(sb, "Added cases", d.Added);
        Section(sb, "Removed cases", d.Removed);
        return sb.ToString();
    }

    private static string Describe(RunReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{Markdown.Code(r.Target.Url)} (profile {Markdown.Text(r.Target.Profile)}{(r.Target.ServerIdentity is { } s ? ", server " + Markdown.Code(s) : "")}), suite {Markdown.Text(r.Suite.Version)}, {r.Run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {r.Cases.Count} cases");

    private static void Section(StringBuilder sb, string title, IReadOnlyList<CaseChange> changes)
    {
        if (changes.Count == 0) return;
        sb.Append("\n### ").Append(title).Append("\n\n| case | area | level | old | new | fixture |\n|---|---|---|---|---|---|\n");
        foreach (var c in changes)
            sb.Append("| ").Append(Markdown.Code(c.Id)).Append(" | ").Append(Markdown.Text(c.Area)).Append(" | ").Append(c.Level)
              .Append(" | ").Append(c.OldVerdict ?? "—").Append(" | ").Append(c.NewVerdict ?? "—").Append(" | ").Append(Markdown.Code(c.Source)).Append(" |\n");
    }

    public static string RenderHtml(ReportDiffResult d)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<link rel=\"icon\" href=\"data:,\">\n")
          .Append("<title>Conformance diff</title>\n<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}")
          .Append(".FAIL,.ERROR{color:#c62828;font-weight:bold}.WARN{color:#b26a00}.PASS{color:#2e7d32}.bad{color:#c62828}.good{color:#2e7d32}</style>\n</head>\n<body>\n<h1>Conformance diff</h1>\n");
        sb.Append("<p>old: ").Append(E(d.Old.Target.Url)).Append(" (").Append(E(d.Old.Target.ServerIdentity ?? d.Old.Target.Profile)).Append(", ").Append(E(d.Old.Run.StartedAt.ToString("u", CultureInfo.InvariantCulture))).Append(")<br>new: ")
          .Append(E(d.New.Target.Url)).Append(" (").Append(E(d.New.Target.ServerIdentity ?? d.New.Target.Profile)).Append(", ").Append(E(d.New.Run.StartedAt.ToString("u", CultureInfo.InvariantCulture))).Append(")</p>\n");
        sb.Append("<p class=\"").Append(d.HasRegressions ? "bad" : "good").Append("\"><strong>").Append(string.Create(CultureInfo.InvariantCulture,
            $"{d.Regressions.Count} regressions</strong>, {d.Fixed.Count} fixed, {d.Changed.Count} changed, {d.Added.Count} added, {d.Removed.Count} removed")).Append("</p>\n");
        foreach (var (title, id, list) in new[] { ("Regressions (newly failing)", "regressions", d.Regressions), ("Fixed", "fixed", d.Fixed), ("Changed", "changed", d.Changed), ("Added cases", "added", d.Added), ("Removed cases", "removed", d.Removed) })
        {
            sb.Append("<h2>").Append(title).Append("</h2>\n");
            if (list.Count == 0) { sb.Append("<p>none</p>\n"); continue; }
            sb.Append("<table id=\"").Append(id).Append("\"><tr><th>case</th><th>area</th><th>level</th><th>old</th><th>new</th><th>requirement</th></tr>\n");
            foreach (var c in list)
                sb.Append("<tr><td><code>").Append(E(c.Id)).Append("</code></td><td>").Append(E(c.Area)).Append("</td><td>").Append(E(c.Level))
                  .Append("</td><td class=\"").Append(E(c.OldVerdict)).Append("\">").Append(E(c.OldVerdict ?? "—")).Append("</td><td class=\"").Append(E(c.NewVerdict)).Append("\">").Append(E(c.NewVerdict ?? "—"))
                  .Append("</td><td>").Append(E(c.Requirement)).Append("</td></tr>\n");
            sb.Append("</table>\n");
        }
        return sb.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>The whole `conformance diff` command: 0 no regression, 1 regressions, 2 unreadable input.</summary>
    public static int Run(string oldPath, string newPath, string? outDirectory, bool strict, TextWriter stdout, TextWriter stderr)
    {
        RunReport old, @new;
        try
        {
            old = JsonReport.Read(oldPath);
            @new = JsonReport.Read(newPath);
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"conformance diff: {e.Message}");
            return Engine.ExitCodes.BadUsage;
        }
        var diff = Compare(old, @new, strict);
        var markdown = RenderMarkdown(diff);
        stdout.Write(markdown);
        if (outDirectory is not null)
        {
            Directory.CreateDirectory(outDirectory);
            File.WriteAllText(Path.Combine(outDirectory, MarkdownFileName), markdown, new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(outDirectory, HtmlFileName), RenderHtml(diff), new UTF8Encoding(false));
            stdout.WriteLine($"\nwritten: {Path.Combine(outDirectory, MarkdownFileName)}, {Path.Combine(outDirectory, HtmlFileName)}");
        }
        return diff.HasRegressions ? Engine.ExitCodes.ConformanceFailures : Engine.ExitCodes.Ok;
    }
}
