namespace Conformance.Harness.Reports;

// The report.json schema. It is versioned by CurrentSchema; documented in reports/README.md. Every type
// here is plain data so report.json can be read back (diff, merge, matrix) as well as written.

public sealed record RunReport
{
    // /2 added "certification"; /3 added a case's "screenshot" and "agreement" (browser cases); /4 added
    // "run.shard" and "target.launched"; /5 added "run.label" and "run.operator". Older files still read
    // (the certification is computed on reading /1).
    public const string CurrentSchema = "http11-conformance-report/5";

    /// <summary>Schemas <see cref="JsonReport.Read"/> accepts: additions only, so older reports stay diffable.</summary>
    public static readonly IReadOnlyList<string> ReadableSchemas = ["http11-conformance-report/1", "http11-conformance-report/2", "http11-conformance-report/3", "http11-conformance-report/4", CurrentSchema];

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
}

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

    /// <summary>What was tested, in the operator's words (--label): product, build, configuration. Shown in the certificate.</summary>
    public string? Label { get; init; }

    /// <summary>Who ran the suite (--operator): a person or a CI job. Shown in the certificate.</summary>
    public string? Operator { get; init; }
}

public sealed record Summary
{
    public required int Total { get; init; }
    public required IReadOnlyDictionary<string, int> ByVerdict { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByArea { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByLevel { get; init; }
}

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

    /// <summary>A browser case's screenshot, relative to the run folder (browser/&lt;id&gt;.png).</summary>
    public string? Screenshot { get; init; }

    /// <summary>A browser case's comparison with the raw verdicts of its counterparts.</summary>
    public AgreementReport? Agreement { get; init; }
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
