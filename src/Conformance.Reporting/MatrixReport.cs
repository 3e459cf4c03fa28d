namespace Conformance.Harness.Reports;

/// <summary>One server's run in a matrix: its report (null when it could not run) and where that report lives.</summary>
public sealed record MatrixRun
{
    public required string Server { get; init; }
    public RunReport? Report { get; init; }

    /// <summary>The run's report folder, relative to the matrix folder (links are made from it).</summary>
    public string? ReportFolder { get; init; }

    /// <summary>True when the folder holds report.html, so a cell can link to the case's anchor in it.</summary>
    public bool HasHtml { get; init; }

    public required int ExitCode { get; init; }

    /// <summary>Why the server has no report, or what went wrong in its run.</summary>
    public string? Note { get; init; }
}

/// <summary>One verdict in the matrix, linked to the transcript that earned it.</summary>
public sealed record MatrixCell(string Verdict, string? Link, string? Reason);

/// <summary>One case across every server. A missing cell means the case was not in that server's run.</summary>
public sealed record MatrixRow(string CaseId, string Area, string Level, int Rfc, string Section, string RfcLink, IReadOnlyList<MatrixCell?> Cells)
{
    /// <summary>"RFC 9112 §3.2": a bare "3.2" could be RFC 9110 or RFC 9112.</summary>
    public string Citation => $"RFC {Rfc.ToString(System.Globalization.CultureInfo.InvariantCulture)} §{Section}";

    /// <summary>A MUST (or grammar) case that some server FAILs: what a reader of the matrix looks for first.</summary>
    public bool MustFail => Level is "MUST" or "GRAMMAR" && Cells.Any(c => c?.Verdict == "FAIL");

    /// <summary>
    /// The servers disagree: more than one verdict among the cells that judged the case. SKIP is left out
    /// (a role one server lacks is not a disagreement about the RFC), and so is a server that did not run.
    /// </summary>
    public bool Differs => Cells.OfType<MatrixCell>().Select(c => c.Verdict).Where(v => v != "SKIP").Distinct(StringComparer.Ordinal).Count() > 1;
}

/// <summary>Cases × servers, grouped by area (in order); in each area MUST FAILs first, then other differing rows, then the rest.</summary>
public sealed record MatrixReport(IReadOnlyList<MatrixRun> Runs, IReadOnlyList<MatrixRow> Rows, DateTimeOffset CreatedAt)
{
    /// <summary>The worst exit code of the runs: the matrix's own exit code.</summary>
    public int ExitCode => Runs.Count == 0 ? 0 : Runs.Max(r => r.ExitCode);

    public int DifferingRows => Rows.Count(r => r.Differs);

    public static MatrixReport Build(IReadOnlyList<MatrixRun> runs, DateTimeOffset createdAt)
    {
        // Case order: areas in order; within an area MUST FAILs, then rows where the servers differ, then the
        // rest, each in the order the first report that holds the case lists it (fixture order).
        var order = new List<CaseReport>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
            foreach (var c in run.Report?.Cases ?? [])
                if (seen.Add(c.Id)) order.Add(c);

        var byServer = runs.Select(r => (r.Report?.Cases ?? []).ToDictionary(c => c.Id, StringComparer.Ordinal)).ToList();
        var rows = order.Select(c => new MatrixRow(c.Id, c.Area, c.Level, c.Rfc, c.Section, c.RfcLink,
            runs.Select((run, i) => byServer[i].TryGetValue(c.Id, out var rc) ? Cell(run, rc) : null).ToList())).ToList();
        var sorted = rows.Select((r, i) => (r, i))
            .OrderBy(x => x.r.Area, StringComparer.Ordinal)
            .ThenBy(x => x.r.MustFail ? 0 : x.r.Differs ? 1 : 2)
            .ThenBy(x => x.i)
            .Select(x => x.r).ToList();
        return new MatrixReport(runs, sorted, createdAt);
    }

    private static MatrixCell Cell(MatrixRun run, CaseReport c)
    {
        string? link = null;
        if (run.ReportFolder is { } folder)
        {
            var prefix = folder.Replace('\\', '/').TrimEnd('/');
            // HtmlReportWriter anchors each case as "case-<id>".
            link = run.HasHtml ? $"{prefix}/report.html#case-{Uri.EscapeDataString(c.Id)}" : $"{prefix}/{JsonReport.FileName}";
        }
        return new MatrixCell(c.Verdict, link, c.Reason ?? c.Findings.FirstOrDefault()?.Message);
    }
}
