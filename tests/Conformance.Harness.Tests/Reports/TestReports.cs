using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Reports;

/// <summary>Synthetic reports for the writer tests: the wire layer is not needed to produce one.</summary>
internal static class TestReports
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static CaseReport Case(string id, string verdict, string area = "status-line", string level = "MUST",
        IReadOnlyList<FindingReport>? findings = null, IReadOnlyList<ConnectionReport>? connections = null, string? reason = null) => new()
        {
            Id = id,
            Area = area,
            Rfc = 9112,
            Section = "4",
            RfcLink = "https://www.rfc-editor.org/rfc/rfc9112#section-4",
            Level = level,
            Requirement = $"A server MUST do {id}.",
            Description = $"Sends the request for {id}.",
            Source = $"fixtures/cases/9112/{area}.cases:{id.Length}",
            Verdict = verdict,
            Reason = reason,
            Findings = findings ?? (verdict is "PASS" or "SKIP" ? [] : [Finding(verdict, "outcome", "200", "400")]),
            Observed = ["200"],
            DurationMs = 12.5,
            Connections = connections ?? [Connection("GET / HTTP/1.1\\r\\nHost: 127.0.0.1:5000\\r\\n\\r\\n", "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")],
        };

    public static FindingReport Finding(string verdict, string rule, string? expected = null, string? actual = null, string? requirement = "the status line holds SP") => new()
    {
        Verdict = verdict,
        Kind = "outcome",
        Rule = rule,
        Level = "MUST",
        Rfc = "RFC 9112 §4",
        Requirement = requirement,
        Expected = expected,
        Actual = actual,
        Location = "fixtures/cases/9112/status-line.cases:7",
        Message = $"{verdict} [MUST] RFC 9112 §4 ({rule}): \"{requirement}\"\n  expected: {expected}\n  actual:   {actual}",
    };

    public static ConnectionReport Connection(string sent, params string[] received) => new("main",
        [
            new TranscriptLine { Direction = "sent", AtMs = 0.1, Text = sent, Bytes = sent.Length },
            .. received.Select((r, i) => new TranscriptLine { Direction = "received", AtMs = 1 + i, Text = r, Bytes = r.Length }),
        ]);

    public static RunReport Report(IReadOnlyList<CaseReport> cases, bool complete = true, bool strict = false, string? filter = null, string? note = null)
    {
        var report = new RunReport
        {
            Suite = new SuiteInfo("http11-conformance", "0.1.0"),
            Fixtures = new FixtureInfo(new string('a', 64), 3, cases.Count),
            Seed = 42,
            Target = new TargetInfo { Url = "http://127.0.0.1:5000/", Profile = "reference", ServerIdentity = "Kestrel" },
            Run = new RunInfo
            {
                StartedAt = Start,
                FinishedAt = Start.AddSeconds(3),
                DurationMs = 3000,
                Complete = complete,
                Strict = strict,
                Parallelism = 8,
                Filter = filter,
                Note = note,
            },
            Summary = ReportBuilder.Summarise(cases),
            Cases = cases,
        };
        return report with { Certification = Certification.From(report) };
    }

    /// <summary>One of each verdict, over two areas and three levels.</summary>
    public static RunReport Mixed(bool strict = false) => Report(
        [
            Case("pass-one", "PASS"),
            Case("fail-one", "FAIL"),
            Case("fail-two", "FAIL", area: "header-block"),
            Case("warn-one", "WARN", area: "header-block", level: "SHOULD"),
            Case("info-one", "INFO", level: "MAY"),
            Case("skip-one", "SKIP", reason: "the profile has no echo role"),
            Case("error-one", "ERROR", area: "header-block", reason: "the harness could not connect"),
        ], strict: strict);

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "conformance-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
