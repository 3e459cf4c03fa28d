using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Reports;

/// <summary>Turns a run's results into the report model every writer works from.</summary>
public static class ReportBuilder
{
    /// <summary>Bytes of one transcript chunk kept in the report; the rest is cut and marked.</summary>
    public const int MaxTranscriptChunkBytes = 64 * 1024;

    public static string SuiteVersion => typeof(ReportBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public sealed record RunFacts(
        Target Target,
        RunSettings Settings,
        string FixtureSha256,
        int FixtureFiles,
        int FixtureCases,
        string? ServerIdentity,
        DateTimeOffset StartedAt,
        DateTimeOffset FinishedAt,
        bool Complete,
        string? Filter,
        string? Note,
        string? Shard = null,
        bool Launched = false,
        NotSelectedInfo? NotSelected = null,
        string? Label = null,
        string? Operator = null,
        TlsSessionInfo? Tls = null);

    public static RunReport Build(RunFacts facts, IReadOnlyList<CaseResult> results)
    {
        var cases = results.Select(ToReport).ToList();
        var report = new RunReport
        {
            Suite = new SuiteInfo("http11-conformance", SuiteVersion),
            Fixtures = new FixtureInfo(facts.FixtureSha256, facts.FixtureFiles, facts.FixtureCases),
            Seed = facts.Settings.Seed,
            Target = new TargetInfo
            {
                Url = facts.Target.BaseUri.ToString(),
                Profile = facts.Target.Profile.Name,
                ProfileFile = facts.Target.Profile.SourceFile,
                ServerIdentity = facts.ServerIdentity ?? results.Select(r => r.ServerHeader).FirstOrDefault(s => s is not null),
                Launched = facts.Launched ? true : null,
                Tls = facts.Tls is { } tls ? TlsInfo.From(tls) : null,
            },
            Run = new RunInfo
            {
                StartedAt = facts.StartedAt,
                FinishedAt = facts.FinishedAt,
                DurationMs = Math.Round((facts.FinishedAt - facts.StartedAt).TotalMilliseconds, 1),
                Complete = facts.Complete,
                Strict = facts.Settings.Strict,
                Parallelism = facts.Settings.Parallelism,
                Filter = facts.Filter,
                Note = facts.Note,
                Shard = facts.Shard,
                NotSelected = facts.NotSelected is { Cases: > 0 } n ? n : null,
                Label = facts.Label,
                Operator = facts.Operator,
            },
            Summary = Summarise(cases),
            Cases = cases,
        };
        return report with { Certification = Certification.From(report) };
    }

    public static Summary Summarise(IReadOnlyList<CaseReport> cases)
    {
        static IReadOnlyDictionary<string, int> Count(IEnumerable<CaseReport> cs)
            => Enum.GetValues<Verdict>().ToDictionary(v => v.ToLabel(), v => cs.Count(c => c.Verdict == v.ToLabel()));
        return new Summary
        {
            Total = cases.Count,
            ByVerdict = Count(cases),
            ByArea = cases.GroupBy(c => c.Area).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Count(g)),
            ByLevel = cases.GroupBy(c => c.Level).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Count(g)),
            Coverage = Cover(cases),
        };
    }

    private static bool IsMust(CaseReport c) => c.Level is "MUST" or "GRAMMAR";

    /// <summary>SKIPs and weaker judgements, by area and by the role that would bring them in.</summary>
    public static CoverageSummary Cover(IReadOnlyList<CaseReport> cases)
    {
        static CoverageCount Count(IEnumerable<CaseReport> cs)
            => new(cs.Count(c => c.Verdict == "SKIP"), cs.Count(c => c.Verdict != "SKIP" && c.WeakerEvidence == true));
        var lacking = cases.Where(c => c.Verdict == "SKIP" || c.WeakerEvidence == true).ToList();
        return new CoverageSummary
        {
            NotJudged = cases.Count(c => c.Verdict == "SKIP"),
            MustNotJudged = cases.Count(c => c.Verdict == "SKIP" && IsMust(c)),
            WeakerEvidence = cases.Count(c => c.Verdict != "SKIP" && c.WeakerEvidence == true),
            MustWeakerEvidence = cases.Count(c => c.Verdict != "SKIP" && c.WeakerEvidence == true && IsMust(c)),
            ByArea = lacking.GroupBy(c => c.Area).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Count(g)),
            ByRole = lacking.GroupBy(c => c.MissingRole ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Count(g)),
        };
    }

    public static CaseReport ToReport(CaseResult r) => new()
    {
        Id = r.Case.Id,
        Area = r.Case.Area,
        Rfc = r.Case.Rfc.Rfc,
        Section = r.Case.Rfc.Section,
        RfcLink = r.Case.Rfc.Link.ToString(),
        Level = r.Case.Level.ToKeyword(),
        Requirement = r.Case.Requirement,
        Description = r.Case.Description,
        Source = r.Case.Location,
        Verdict = r.Verdict.ToLabel(),
        Reason = r.Reason,
        Findings = r.Findings.Select(ToReport).ToList(),
        Observed = r.Observed,
        DurationMs = Math.Round(r.Duration.TotalMilliseconds, 1),
        Connections = r.Connections.Select(c => new ConnectionReport(c.Purpose, c.Entries.Select(ToLine).ToList())).ToList(),
        RandomValues = r.RandomValues.Count == 0 ? null : r.RandomValues,
        Evidence = r.Evidence?.Description,
        WeakerEvidence = r.Evidence is { Weaker: true } ? true : null,
        MissingRole = r.MissingRole,
        Screenshot = r.Screenshot,
        Agreement = r.Agreement is { } a
            ? new AgreementReport(AgreementLabel(a.Status), a.BrowserVerdict.ToLabel(), a.Raw.Select(x => new RawVerdictReport(x.CaseId, x.Verdict.ToLabel())).ToList(), a.Detail)
            : null,
    };

    public static string AgreementLabel(Browser.AgreementStatus status) => status switch
    {
        Browser.AgreementStatus.Agrees => "agrees",
        Browser.AgreementStatus.Disagrees => "disagrees",
        _ => "not-compared",
    };

    private static FindingReport ToReport(Finding f) => new()
    {
        Verdict = f.Verdict.ToLabel(),
        Kind = f.Kind.ToString().ToLowerInvariant(),
        Rule = f.Rule,
        Level = f.Level?.ToKeyword(),
        Rfc = f.Rfc?.ToString(),
        Requirement = f.Requirement,
        Expected = f.Expected,
        Actual = f.Actual,
        Detail = f.Detail,
        Offset = f.Offset,
        Location = f.Location,
        Message = f.ToString(),
    };

    private static TranscriptLine ToLine(TranscriptEntry e)
    {
        var truncated = e.Bytes.Length > MaxTranscriptChunkBytes;
        var kept = truncated ? e.Bytes.AsSpan(0, MaxTranscriptChunkBytes) : e.Bytes;
        return new TranscriptLine
        {
            Direction = e.Direction.ToString().ToLowerInvariant(),
            AtMs = Math.Round(e.At.TotalMilliseconds, 2),
            Text = ByteText.Escape(kept),
            Bytes = e.Bytes.Length,
            Truncated = truncated,
            Note = e.Note,
        };
    }
}
