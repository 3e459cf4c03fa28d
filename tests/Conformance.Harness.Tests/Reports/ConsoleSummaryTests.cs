using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using Conformance.Harness.Model;
using static Conformance.Harness.Tests.Reports.TestReports;

namespace Conformance.Harness.Tests.Reports;

public sealed class RuleGroupTests
{
    /// <summary>A server with one cause behind many FAILs: the reader sees one rule and its count.</summary>
    private static RunReport DateMissingEverywhere(int cases)
    {
        var date = new FindingReport
        {
            Verdict = "FAIL", Kind = "grammar", Rule = "date.present", Level = "MUST", Rfc = "RFC 9110 §6.6.1",
            Requirement = "An origin server with a clock MUST generate a Date header field in all 2xx, 3xx and 4xx responses.",
            Expected = "a Date field", Actual = "no Date field in HTTP/1.1 400 Bad Request", Location = "fixtures/cases/x.cases:3",
            Message = "FAIL [MUST] RFC 9110 §6.6.1 (date.present)",
        };
        var list = Enumerable.Range(1, cases).Select(i => Case($"bad-{i}", "FAIL", findings: [date])).ToList();
        list.Add(Case("other", "FAIL"));
        list.Add(Case("fine", "PASS"));
        return Report(list);
    }

    [Test]
    public void Fails_with_one_cause_are_one_group_with_its_count_and_first_example()
    {
        var groups = RuleGroups.Of(DateMissingEverywhere(148), "FAIL");
        Assert.Multiple(() =>
        {
            Assert.That(groups, Has.Count.EqualTo(2));
            Assert.That(groups[0].Rule, Is.EqualTo("date.present"));
            Assert.That(groups[0].Count, Is.EqualTo(148));
            Assert.That(groups[0].CaseIds[0], Is.EqualTo("bad-1"));
            Assert.That(groups[0].Title, Is.EqualTo("RFC 9110 §6.6.1 [date.present]"));
            Assert.That(groups[0].ExampleEvidence(), Is.EqualTo("expected a Date field; actual no Date field in HTTP/1.1 400 Bad Request"));
            Assert.That(groups[1].CaseIds, Is.EqualTo(new[] { "other" }));
        });
    }

    [Test]
    public void An_outcome_and_an_assertion_quoting_one_sentence_are_one_rule_counted_once_per_case()
    {
        const string sentence = "the server MUST respond with a 400 (Bad Request) status code and then close the connection.";
        var c = Case("plus-sign", "FAIL", findings:
        [
            Finding("FAIL", "outcome", "400", "HTTP/1.1 200 OK", sentence),
            Finding("FAIL", "connection closed", "the server closes the connection", "still open", sentence),
        ]);
        var groups = RuleGroups.Of(Report([c]), "FAIL");
        Assert.That(groups, Has.Count.EqualTo(1));
        Assert.That(groups[0].Count, Is.EqualTo(1));
        Assert.That(groups[0].Rule, Is.EqualTo("connection closed"), "a named rule is a better title than \"outcome\"");
    }

    [Test]
    public void Skips_are_counted_by_reason()
    {
        var r = Report([Case("a", "SKIP", reason: "needs echo"), Case("b", "SKIP", reason: "needs echo"), Case("c", "SKIP", reason: "needs cookies")]);
        Assert.That(RuleGroups.Skips(r), Is.EqualTo(new[] { ("needs echo", 2), ("needs cookies", 1) }));
    }
}

public sealed class ConsoleSummaryTests
{
    [Test]
    public void The_last_lines_are_the_certification_and_the_gate_with_its_reason()
    {
        var report = Mixed();
        var gate = GateOutcome.Explain(report, ExitCodes.ConformanceFailures, GateMode.Conformance);
        var text = ConsoleSummary.Render(report, "/runs/x", gate);
        var lines = text.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines[^3], Does.Contain("does not conform at MUST level: 2 MUST cases fail"));
            Assert.That(lines[^2], Does.StartWith("MUST passed 1/5"));
            Assert.That(lines[^1], Does.Contain("GATE FAILED").And.Contain("exit 1").And.Contain("2 FAIL").And.Contain("1 ERROR"));
            Assert.That(text, Does.Contain("reports: " + Path.Combine("/runs/x", "report.html")));
            Assert.That(text.IndexOf("reports:", StringComparison.Ordinal), Is.LessThan(text.IndexOf("does not conform", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Fails_are_grouped_by_rule_with_count_and_one_example_and_skips_are_counted()
    {
        var date = new FindingReport
        {
            Verdict = "FAIL", Kind = "grammar", Rule = "date.present", Level = "MUST", Rfc = "RFC 9110 §6.6.1",
            Requirement = "An origin server MUST generate a Date header field.", Expected = "a Date field", Actual = "none",
            Message = "FAIL date.present",
        };
        var cases = Enumerable.Range(1, 148).Select(i => Case($"missing-{i}", "FAIL", findings: [date])).ToList();
        cases.Add(Case("no-echo", "SKIP", reason: "needs the \"echo\" role"));
        var text = ConsoleSummary.Render(Report(cases), null);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("FAIL by broken rule (148 cases, 1 rule)"));
            Assert.That(text, Does.Contain(" 148  RFC 9110 §6.6.1 [date.present] MUST: An origin server MUST generate a Date header field."));
            Assert.That(text, Does.Contain("e.g. missing-1 — expected a Date field; actual none"));
            Assert.That(text, Does.Not.Contain("missing-2 "), "one example per rule, not a row per case");
            Assert.That(text, Does.Contain("SKIP: 1 case not run on this target").And.Contain("needs the \"echo\" role"));
        });
    }

    [Test]
    public void Plain_output_has_no_control_codes_and_verbose_adds_each_failing_case()
    {
        var normal = ConsoleSummary.Render(Mixed(), null);
        var verbose = ConsoleSummary.Render(Mixed(), null, detail: ConsoleDetail.Verbose);
        var quiet = ConsoleSummary.Render(Mixed(), "/runs/x", GateOutcome.Explain(Mixed(), 1, GateMode.Conformance), ConsoleDetail.Quiet);
        Assert.Multiple(() =>
        {
            Assert.That(normal, Does.Not.Contain("\u001b"));
            Assert.That(normal, Does.Not.Contain("fixtures/cases/9112/header-block.cases:8 "), "per-case detail is for --verbose");
            Assert.That(verbose, Does.Contain("FAIL fail-two (MUST, RFC 9112 §4, outcome) — fixtures/cases/9112/header-block.cases:8"));
            Assert.That(quiet.Split('\n').Count(l => l.Trim().Length > 0), Is.EqualTo(4), quiet);
            Assert.That(quiet, Does.Contain("reports: ").And.Contain("GATE FAILED"));
        });
    }

    [Test]
    public void Colour_on_a_terminal_unless_NO_COLOR_and_never_off_a_terminal()
    {
        static string Through(bool terminal, string? noColor)
        {
            var w = new StringWriter();
            ConsoleSummary.Write(RunConsole.Create(w, terminal, noColor), Mixed(), null, GateOutcome.Explain(Mixed(), 1, GateMode.Conformance));
            return w.ToString();
        }
        Assert.Multiple(() =>
        {
            Assert.That(Through(terminal: true, noColor: null), Does.Contain("\u001b["), "a terminal gets colour");
            Assert.That(Through(terminal: true, noColor: "1"), Does.Not.Contain("\u001b[3").And.Not.Contain("\u001b[4"), "NO_COLOR: no colour codes");
            Assert.That(Through(terminal: false, noColor: null), Does.Not.Contain("\u001b"), "a CI log gets plain text");
        });
    }
}

public sealed class GateOutcomeTests
{
    [Test]
    public void Baseline_gate_exit_0_with_fails_says_they_are_approved()
    {
        var g = GateOutcome.Explain(Mixed(), ExitCodes.Ok, GateMode.Baseline, "snapshots: all 7 match /b");
        Assert.That(g.Passed);
        Assert.That(g.Reason, Does.Contain("--gate baseline").And.Contain("approved").And.Contain("3 FAIL/ERROR"));
    }

    [Test]
    public void Baseline_gate_exit_1_names_the_unapproved_changes()
    {
        var g = GateOutcome.Explain(Mixed(), ExitCodes.ConformanceFailures, GateMode.Baseline,
            "snapshots: 3 unapproved change(s) against /b; review the diffs above, then approve with --accept");
        Assert.That(g.Reason, Is.EqualTo("--gate baseline fails on any change against the approved baselines: 3 unapproved change(s) against /b (approve with --accept after review)"));
    }

    [Test]
    public void Accepting_says_the_verdicts_decide()
        => Assert.That(GateOutcome.Explain(Mixed(), 1, GateMode.Baseline, "snapshots: 3 accepted, 4 unchanged in /b").Reason,
            Is.EqualTo("snapshots were accepted, not verified, so the verdicts decide: 2 FAIL; 1 ERROR"));

    [Test]
    public void Conformance_gate_reasons_count_fails_errors_strict_warns_and_incompleteness()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GateOutcome.Explain(Mixed(strict: true), 1, GateMode.Conformance).Reason,
                Is.EqualTo("--gate conformance fails on any FAIL, ERROR or WARN: 2 FAIL; 1 ERROR; 1 WARN under --strict"));
            Assert.That(GateOutcome.Explain(Report([Case("a", "WARN")]), 0, GateMode.Conformance).Reason,
                Is.EqualTo("--gate conformance: no FAIL or ERROR (1 WARN do not fail the gate without --strict)"));
            Assert.That(GateOutcome.Explain(Report([Case("a", "PASS")], complete: false, note: "interrupted: 1 of 9 cases ran"), 1, GateMode.Conformance).Reason,
                Does.Contain("the run is incomplete (interrupted: 1 of 9 cases ran)"));
            Assert.That(GateOutcome.Explain(null, ExitCodes.TargetOrHarness, GateMode.Conformance, message: "target unreachable: refused").Reason,
                Is.EqualTo("nothing could be judged: target unreachable: refused"));
        });
    }
}

public sealed class RunProgressTests
{
    [Test]
    public void A_ci_log_gets_a_plain_line_at_each_quarter_with_the_total_and_an_estimate()
    {
        var w = new StringWriter();
        var progress = new RunProgress(RunConsole.Plain(w), ConsoleDetail.Normal);
        progress.RunAsync(() =>
        {
            progress.Start(8);
            foreach (var (v, i) in new[] { "PASS", "FAIL", "PASS", "WARN", "PASS", "PASS", "PASS", "PASS" }.Select((v, i) => (v, i)))
                progress.OnCaseDone(CaseResults.Of($"c{i}", v));
            return Task.FromResult(0);
        }).GetAwaiter().GetResult();
        var lines = w.ToString().Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.That(lines, Has.Count.EqualTo(3), w.ToString());
        Assert.That(lines[0], Does.Match(@"^2 of 8 cases, 1 FAIL, about \d+ s left$"));
        Assert.That(lines[2], Does.Match(@"^6 of 8 cases, 1 FAIL, 1 WARN, about \d+ s left$"));
        Assert.That(w.ToString(), Does.Not.Contain("\r").And.Not.Contain("\u001b"));
    }

    [Test]
    public void Quiet_prints_nothing_and_verbose_a_line_per_case()
    {
        var quiet = new StringWriter();
        var verbose = new StringWriter();
        var q = new RunProgress(RunConsole.Plain(quiet), ConsoleDetail.Quiet);
        var v = new RunProgress(RunConsole.Plain(verbose), ConsoleDetail.Verbose);
        q.Start(2);
        v.Start(2);
        foreach (var p in new[] { q, v })
        {
            p.OnCaseDone(CaseResults.Of("first", "PASS"));
            p.OnCaseDone(CaseResults.Of("second", "FAIL"));
        }
        Assert.That(quiet.ToString(), Is.Empty);
        Assert.That(verbose.ToString(), Does.Contain("PASS  first").And.Contain("FAIL  second"));
    }
}

/// <summary>Finished cases for the progress tests: a catalog case renamed, with a verdict and nothing else.</summary>
internal static class CaseResults
{
    public static CaseResult Of(string id, string verdict) => new()
    {
        Case = Harness.Browser.BrowserCatalog.Cases[0] with { Id = id },
        Verdict = Enum.GetValues<Verdict>().First(v => v.ToLabel() == verdict),
        Findings = [],
        Connections = [],
        Observed = [],
        StartedAt = TestReports.Start,
        Duration = TimeSpan.FromMilliseconds(3),
    };
}
