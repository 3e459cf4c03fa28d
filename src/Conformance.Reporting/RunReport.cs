using Conformance.Harness.Wire;

namespace Conformance.Harness.Reports;

// The report.json schema. It is versioned by CurrentSchema; documented in reports/README.md. Every type
// here is plain data so report.json can be read back (diff, merge, matrix) as well as written.

public sealed record RunReport
{
    // /2 added "certification"; /3 added a case's "screenshot" and "agreement" (browser cases); /4 added
    // "run.shard" and "target.launched"; /5 added "summary.coverage", "run.notSelected", a case's "evidence",
    // "weakerEvidence" and "missingRole", "baseline" (the snapshot gate's counts),
    // "run.label" and "run.operator"; /6 added "target.tls" (an https target's TLS facts). Older files still read (the
    // certification is computed on reading /1).
    public const string CurrentSchema = "http11-conformance-report/6";

    /// <summary>Schemas <see cref="JsonReport.Read"/> accepts: additions only, so older reports stay diffable.</summary>
    public static readonly IReadOnlyList<string> ReadableSchemas = ["http11-conformance-report/1", "http11-conformance-report/2", "http11-conformance-report/3", "http11-conformance-report/4", "http11-conformance-report/5", CurrentSchema];

    public string Schema { get; init; } = CurrentSchema;
    public required SuiteInfo Suite { get; init; }
    public required FixtureInfo Fixtures { get; init; }
    public required int Seed { get; init; }
    public required TargetInfo Target { get; init; }
    public required RunInfo Run { get; init; }
    public required Summary Summary { get; init; }
    public required IReadOnlyList<CaseReport> Cases { get; init; }

    /// <summary>The one-paragraph claim a vendor hands on; null only while a report is being built.</summary>
    public Certification? Certification { get; init; }

    /// <summary>What the snapshot gate found against the approved baselines; null when the run was not compared.</summary>
    public BaselineReport? Baseline { get; init; }
}

/// <summary>The snapshot gate's counts, each kind of change apart (docs/baselines.md).</summary>
public sealed record BaselineReport
{
    /// <summary>The baseline folder compared with (or accepted into).</summary>
    public required string Folder { get; init; }

    /// <summary>True when the run approved its snapshots (--accept): the changes below were accepted, not found.</summary>
    public required bool Accepted { get; init; }

    public required int Matched { get; init; }

    /// <summary>Verdict changes, new cases, and approved cases that did not run (not accepting).</summary>
    public required int VerdictChanges { get; init; }

    /// <summary>Same verdict, different findings.</summary>
    public required int FindingChanges { get; init; }

    /// <summary>Same verdict and findings, different bytes.</summary>
    public required int TranscriptChanges { get; init; }

    /// <summary>Snapshots written by --accept (new or changed).</summary>
    public required int AcceptedChanges { get; init; }

    public required IReadOnlyList<string> Orphans { get; init; }

    /// <summary>Each unapproved change: the case and its kind ("verdict changed", "transcript changed", ...).</summary>
    public required IReadOnlyList<BaselineChangeReport> Changed { get; init; }
}

public sealed record BaselineChangeReport(string Id, string Change);

public sealed record SuiteInfo(string Name, string Version);

public sealed record FixtureInfo(string Sha256, int Files, int Cases);

public sealed record TargetInfo
{
    public required string Url { get; init; }
    public required string Profile { get; init; }
    public string? ProfileFile { get; init; }

    /// <summary>How the server named itself (its Server header), or what the suite knows of it.</summary>
    public string? ServerIdentity { get; init; }

    /// <summary>True when the suite started the server itself (reference, bundled): its port differs from run to run.</summary>
    public bool? Launched { get; init; }

    /// <summary>An https target's TLS facts (version, cipher suite, ALPN, certificate); absent over plain TCP.</summary>
    public TlsInfo? Tls { get; init; }
}

/// <summary>What the TLS handshake with an https target settled, as the probe connection saw it (schema /6).</summary>
public sealed record TlsInfo
{
    /// <summary>"TLS 1.3" or "TLS 1.2".</summary>
    public required string Version { get; init; }

    /// <summary>The IANA cipher suite name, e.g. TLS_AES_256_GCM_SHA384.</summary>
    public required string CipherSuite { get; init; }

    /// <summary>The ALPN protocol the server chose ("http/1.1"); absent when it ignored ALPN.</summary>
    public string? Alpn { get; init; }

    /// <summary>The SNI host name sent; absent for an IP address target (RFC 6066 §3).</summary>
    public string? ServerName { get; init; }

    public required string CertificateSubject { get; init; }
    public required string CertificateIssuer { get; init; }
    public required DateTimeOffset CertificateNotAfter { get; init; }
    public required string CertificateSha256 { get; init; }

    /// <summary>How the certificate was judged: the system store, the --ca file, or not at all (--insecure).</summary>
    public required string Trust { get; init; }

    public static TlsInfo From(TlsSessionInfo s) => new()
    {
        Version = s.Protocol,
        CipherSuite = s.CipherSuite,
        Alpn = s.Alpn,
        ServerName = s.ServerName,
        CertificateSubject = s.CertificateSubject,
        CertificateIssuer = s.CertificateIssuer,
        CertificateNotAfter = s.CertificateNotAfter,
        CertificateSha256 = s.CertificateSha256,
        Trust = s.Trust,
    };

    /// <summary>One line for the certificate block of report.html and summary.md.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Summary => $"{Version}, {CipherSuite}, ALPN {Alpn ?? "none"}, certificate {CertificateSubject} (issuer {CertificateIssuer}), {Trust}";
}

public sealed record RunInfo
{
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required double DurationMs { get; init; }

    /// <summary>False when the run was interrupted (Ctrl-C) or a shard: not every case ran.</summary>
    public required bool Complete { get; init; }
    public required bool Strict { get; init; }
    public required int Parallelism { get; init; }
    public string? Filter { get; init; }
    public string? Note { get; init; }

    /// <summary>"k/n" when this run is one shard of the selected cases (--shard); complete then means every case of the shard ran.</summary>
    public string? Shard { get; init; }

    /// <summary>Catalog cases the filter left out (null: none): a claim covers only what was selected.</summary>
    public NotSelectedInfo? NotSelected { get; init; }

    /// <summary>What was tested, in the operator's words (--label): product, build, configuration. Shown in the certificate.</summary>
    public string? Label { get; init; }

    /// <summary>Who ran the suite (--operator): a person or a CI job. Shown in the certificate.</summary>
    public string? Operator { get; init; }
}

/// <summary>How many catalog cases a filter left out, and how many of them are MUST cases.</summary>
public sealed record NotSelectedInfo(int Cases, int MustCases);

public sealed record Summary
{
    public required int Total { get; init; }
    public required IReadOnlyDictionary<string, int> ByVerdict { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByArea { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByLevel { get; init; }

    /// <summary>Coverage lost (SKIP) or kept on weaker evidence, by area and by the role that would bring it in; null in reports before /5.</summary>
    public CoverageSummary? Coverage { get; init; }
}

/// <summary>
/// What the run could not judge, and what it judged on weaker evidence than the full case (e.g. framing by a
/// follow-up request where an echo would also compare the decoded content). Every output prints it.
/// </summary>
public sealed record CoverageSummary
{
    /// <summary>Cases not judged (SKIP).</summary>
    public required int NotJudged { get; init; }
    public required int MustNotJudged { get; init; }

    /// <summary>Cases judged on weaker evidence (see each case's "evidence").</summary>
    public required int WeakerEvidence { get; init; }
    public required int MustWeakerEvidence { get; init; }
    public required IReadOnlyDictionary<string, CoverageCount> ByArea { get; init; }

    /// <summary>By the profile role that would judge them (SKIP) or judge them in full (weaker); "" when no role would.</summary>
    public required IReadOnlyDictionary<string, CoverageCount> ByRole { get; init; }
}

public sealed record CoverageCount(int NotJudged, int WeakerEvidence);

public sealed record CaseReport
{
    public required string Id { get; init; }
    public required string Area { get; init; }
    public required int Rfc { get; init; }
    public required string Section { get; init; }
    public required string RfcLink { get; init; }
    public required string Level { get; init; }
    public required string Requirement { get; init; }
    public required string Description { get; init; }

    /// <summary>fixture-file:line of the case.</summary>
    public required string Source { get; init; }
    public required string Verdict { get; init; }
    public string? Reason { get; init; }
    public required IReadOnlyList<FindingReport> Findings { get; init; }

    /// <summary>What each expect step observed: "200", "close", "timeout".</summary>
    public required IReadOnlyList<string> Observed { get; init; }
    public required double DurationMs { get; init; }
    public required IReadOnlyList<ConnectionReport> Connections { get; init; }

    /// <summary>The seeded random values the case drew (tokens, cookie names and values), so the run can be retraced.</summary>
    public IReadOnlyList<string>? RandomValues { get; init; }

    /// <summary>What the case was judged on, when the profile changed it (e.g. no echo role); null: the case as written.</summary>
    public string? Evidence { get; init; }

    /// <summary>True when the judgement lacks evidence the full case has (null: false).</summary>
    public bool? WeakerEvidence { get; init; }

    /// <summary>The role that would bring the case in (SKIP) or judge it in full (weaker evidence).</summary>
    public string? MissingRole { get; init; }

    /// <summary>A browser case's screenshot, relative to the run folder (browser/&lt;id&gt;.png).</summary>
    public string? Screenshot { get; init; }

    /// <summary>A browser case's comparison with the raw verdicts of its counterparts.</summary>
    public AgreementReport? Agreement { get; init; }

    /// <summary>
    /// The finding that decided the verdict (the first with the case's verdict), null when none did. Derived,
    /// not stored: headlines name its rule, level and section rather than the case's own.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FindingReport? DecidedBy => Findings.FirstOrDefault(f => f.Verdict == Verdict);

    /// <summary>The level of the headline: the deciding finding's, or the case's when no finding has one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string HeadlineLevel => DecidedBy?.Level is { } level ? (level == "GRAMMAR" ? "MUST" : level) : Level;

    /// <summary>The RFC section of the headline ("RFC 9110 §6.6.1"): the deciding finding's, or the case's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string HeadlineRfc => DecidedBy?.Rfc ?? $"RFC {Rfc.ToString(System.Globalization.CultureInfo.InvariantCulture)} §{Section}";

    /// <summary>The sentence of the headline: the deciding finding's requirement, or the case's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string HeadlineRequirement => DecidedBy?.Requirement ?? Requirement;
}

/// <summary>How a browser case's verdict compares with its raw counterparts': "agrees", "disagrees" or "not-compared".</summary>
public sealed record AgreementReport(string Status, string BrowserVerdict, IReadOnlyList<RawVerdictReport> Raw, string Detail);

public sealed record RawVerdictReport(string Id, string Verdict);

public sealed record FindingReport
{
    public required string Verdict { get; init; }
    public required string Kind { get; init; }
    public required string Rule { get; init; }
    public string? Level { get; init; }
    public string? Rfc { get; init; }
    public string? Requirement { get; init; }
    public string? Expected { get; init; }
    public string? Actual { get; init; }
    public string? Detail { get; init; }
    public long? Offset { get; init; }
    public string? Location { get; init; }

    /// <summary>The whole finding as one readable message.</summary>
    public required string Message { get; init; }
}

public sealed record ConnectionReport(string Purpose, IReadOnlyList<TranscriptLine> Entries);

/// <summary>
/// One chunk of a transcript. <see cref="Text"/> escapes every byte that is not printable ASCII
/// (\r, \n, \t, \0, \xHH), so CR and LF are visible and the JSON stays readable.
/// </summary>
public sealed record TranscriptLine
{
    /// <summary>"sent", "received" or "event".</summary>
    public required string Direction { get; init; }
    public required double AtMs { get; init; }
    public required string Text { get; init; }
    public required int Bytes { get; init; }

    /// <summary>True when Text holds only the first bytes of the chunk (the cap is marked, never silent).</summary>
    public bool Truncated { get; init; }
    public string? Note { get; init; }
}
