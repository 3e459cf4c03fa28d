using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Servers;

/// <summary>The matrix over synthetic per-server reports: cells, links, the differs marker, order, exit code.</summary>
[TestFixture]
public sealed class MatrixWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static RunReport Report(string profile, params (string Id, string Verdict)[] cases) => Report(profile, 1, cases.Select(c => (c.Id, c.Verdict, "status-line", "MUST")).ToArray());

    private static RunReport Report(string profile, int seed, params (string Id, string Verdict, string Area, string Level)[] cases) => new()
    {
        Suite = new SuiteInfo("conformance", "0.1.0"),
        Fixtures = new FixtureInfo("abc", 1, cases.Length),
        Seed = seed,
        Target = new TargetInfo { Url = "http://127.0.0.1:1/", Profile = profile, ServerIdentity = profile + "/1.0" },
        Run = new RunInfo { StartedAt = At, FinishedAt = At, DurationMs = 1, Complete = true, Strict = false, Parallelism = 1 },
        Summary = new Summary
        {
            Total = cases.Length,
            ByVerdict = new[] { "PASS", "FAIL", "WARN", "INFO", "SKIP", "ERROR" }.ToDictionary(v => v, v => cases.Count(c => c.Verdict == v)),
            ByArea = new Dictionary<string, IReadOnlyDictionary<string, int>>(),
            ByLevel = new Dictionary<string, IReadOnlyDictionary<string, int>>(),
        },
        Cases = [.. cases.Select(c => new CaseReport
        {
            Id = c.Id, Area = c.Area, Rfc = 9112, Section = "4", RfcLink = "https://www.rfc-editor.org/rfc/rfc9112#section-4",
            Level = c.Level, Requirement = "r", Description = "d", Source = "x.cases:1", Verdict = c.Verdict,
            Reason = c.Verdict == "SKIP" ? "needs the \"echo\" role" : null,
            Findings = [], Observed = [], DurationMs = 1, Connections = [],
        })],
    };

    private static MatrixReport Sample() => MatrixReport.Build(
    [
        new MatrixRun { Server = "reference", Report = Report("reference", ("same-case", "PASS"), ("split-case", "PASS"), ("skip-case", "PASS")), ReportFolder = "reference", HasHtml = true, ExitCode = 0 },
        new MatrixRun { Server = "nginx", Report = Report("nginx", ("same-case", "PASS"), ("split-case", "FAIL"), ("skip-case", "SKIP")), ReportFolder = "nginx", ExitCode = 1 },
        new MatrixRun { Server = "apache", ExitCode = 3, Note = "apache is not installed: ... apt-get install apache2" },
    ], At);

    [Test]
    public void Cells_hold_each_servers_verdict_and_link_to_its_transcript()
    {
        var m = Sample();
        var split = m.Rows.Single(r => r.CaseId == "split-case");
        Assert.That(split.Cells[0], Is.EqualTo(new MatrixCell("PASS", "reference/report.html#case-split-case", null)));
        Assert.That(split.Cells[1]!.Verdict, Is.EqualTo("FAIL"));
        Assert.That(split.Cells[1]!.Link, Is.EqualTo("nginx/report.json"), "without report.html the cell links to report.json");
        Assert.That(split.Cells[2], Is.Null, "a server that did not run has no cell");
    }

    [Test]
    public void Disagreements_are_marked_and_sorted_first_but_a_skip_is_not_a_disagreement()
    {
        var m = Sample();
        Assert.That(m.Rows.Select(r => r.CaseId), Is.EqualTo(new[] { "split-case", "same-case", "skip-case" }));
        Assert.That(m.Rows.Select(r => r.Differs), Is.EqualTo(new[] { true, false, false }));
        Assert.That(m.DifferingRows, Is.EqualTo(1));
    }

    [Test]
    public void The_exit_code_is_the_worst_runs()
    {
        Assert.That(Sample().ExitCode, Is.EqualTo(3));
        Assert.That(MatrixReport.Build([new MatrixRun { Server = "a", ExitCode = 0 }, new MatrixRun { Server = "b", ExitCode = 1 }], At).ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Markdown_has_a_row_per_case_with_linked_verdicts_and_the_differs_marker()
    {
        var md = MatrixWriter.Markdown(Sample());
        Assert.That(md, Does.Contain("| case | level | section | differs | reference | nginx | apache |"));
        Assert.That(md, Does.Contain("| split-case | MUST | [RFC 9112 §4](https://www.rfc-editor.org/rfc/rfc9112#section-4) | **MUST FAIL**, differs | [PASS](reference/report.html#case-split-case) | [FAIL](nginx/report.json) | - |"));
        Assert.That(md, Does.Contain("| same-case | MUST | [RFC 9112 §4](https://www.rfc-editor.org/rfc/rfc9112#section-4) |  |"));
        Assert.That(md, Does.Contain("apt-get install apache2"), "a server that could not run says why");
    }

    [Test]
    public void Html_is_self_contained_with_a_differs_filter()
    {
        var html = MatrixWriter.Html(Sample());
        Assert.That(html, Does.Contain("<tr class=\"differs mustfail\" id=\"split-case\">"));
        Assert.That(html, Does.Contain(">RFC 9112 &#167;4</a>"), "the section always names its RFC");
        Assert.That(html, Does.Contain("<tr class=\"same\" id=\"same-case\">"));
        Assert.That(html, Does.Contain("<td class=\"FAIL\" title=\"\"><a href=\"nginx/report.json\">FAIL</a></td>"));
        Assert.That(html, Does.Contain("id=\"only\""), "the filter that shows only differing rows");
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"//").And.Not.Contain("<link"), "no network resources");
    }

    /// <summary>Two servers, two areas, a MUST FAIL that sorts above a differing SHOULD in its area.</summary>
    private static MatrixReport TwoAreas() => MatrixReport.Build(
    [
        new MatrixRun { Server = "reference", ExitCode = 1, Report = Report("reference", 101, ("a-should", "PASS", "chunked", "SHOULD"), ("b-must", "PASS", "chunked", "MUST"), ("c-fine", "PASS", "chunked", "MUST"), ("z-first", "PASS", "auth", "MUST")) },
        new MatrixRun { Server = "nginx", ExitCode = 1, Report = Report("nginx", 202, ("a-should", "WARN", "chunked", "SHOULD"), ("b-must", "FAIL", "chunked", "MUST"), ("c-fine", "PASS", "chunked", "MUST"), ("z-first", "SKIP", "auth", "MUST")) },
    ], At);

    [Test]
    public void Rows_are_grouped_by_area_with_must_fails_first_then_differences()
    {
        var m = TwoAreas();
        Assert.That(m.Rows.Select(r => r.CaseId), Is.EqualTo(new[] { "z-first", "b-must", "a-should", "c-fine" }));
        var md = MatrixWriter.Markdown(m);
        Assert.That(md, Does.Contain("## auth (1 case, 0 differ)"));
        Assert.That(md, Does.Contain("## chunked (3 cases, 2 differ, 1 MUST FAIL)"));
        Assert.That(md.IndexOf("## auth", StringComparison.Ordinal), Is.LessThan(md.IndexOf("## chunked", StringComparison.Ordinal)));
        Assert.That(MatrixWriter.Html(m), Does.Contain("<tr class=\"area\" id=\"area-chunked\"><th colspan=\"6\">chunked <small>(3 cases, 2 differ, 1 MUST FAIL)</small></th></tr>"));
    }

    [Test]
    public void Each_servers_seed_suite_version_and_passed_share_are_shown_and_charted()
    {
        var m = TwoAreas();
        var md = MatrixWriter.Markdown(m);
        Assert.That(md, Does.Contain("| server | identity | suite | seed | passed |"));
        Assert.That(md, Does.Contain("| reference | reference/1.0 | 0.1.0 | 101 | 4/4 (100%) |"));
        Assert.That(md, Does.Contain("| nginx | nginx/1.0 | 0.1.0 | 202 | 1/4 (25%) |"));
        var html = MatrixWriter.Html(m);
        var chart = html[html.IndexOf("<svg id=\"share-chart\"", StringComparison.Ordinal)..];
        chart = chart[..(chart.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.That(chart, Does.Contain("<g data-server=\"nginx\">"));
        Assert.That(chart, Does.Contain("<rect class=\"FAIL\" x=\"290\" y=\"27\" width=\"90\""), "a quarter of a 360-pixel bar after a quarter each of PASS and WARN");
        Assert.That(chart, Does.Contain(">25% passed (1/4)</text>").And.Contain(">100% passed (4/4)</text>"));
    }

    [Test]
    public void Write_puts_both_files_in_the_matrix_folder()
    {
        var dir = Directory.CreateTempSubdirectory("conformance-matrix-").FullName;
        try
        {
            MatrixWriter.Write(Sample(), dir);
            Assert.That(Path.Combine(dir, "matrix.md"), Does.Exist);
            Assert.That(Path.Combine(dir, "matrix.html"), Does.Exist);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
