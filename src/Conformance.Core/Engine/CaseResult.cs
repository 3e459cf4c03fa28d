using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>What one case did and what it earned.</summary>
public sealed record CaseResult
{
    public required ConformanceCase Case { get; init; }
    public required Verdict Verdict { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>
    /// The finding that decided the verdict (the first with the case's verdict), or null for a PASS or SKIP
    /// without one. A case's headline names this finding's rule, level and section, not the case's own: a
    /// missing Date on a 400 in a SHOULD case is a MUST finding (RFC 9110 §6.6.1).
    /// </summary>
    public Finding? DecidedBy => Findings.FirstOrDefault(f => f.Verdict == Verdict);

    /// <summary>One transcript per connection the case opened, in order.</summary>
    public required IReadOnlyList<ConnectionTranscript> Connections { get; init; }

    /// <summary>What each expect step observed, in order: "200", "close", "timeout", ...</summary>
    public required IReadOnlyList<string> Observed { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>The first Server header the target sent in this case, if any.</summary>
    public string? ServerHeader { get; init; }

    /// <summary>The one-line reason for a SKIP or an ERROR.</summary>
    public string? Reason { get; init; }

    /// <summary>The seeded random values the case drew, in order.</summary>
    public IReadOnlyList<string> RandomValues { get; init; } = [];

    /// <summary>What the case was judged on when that differs from the fixture as written (see <see cref="EvidenceFallback"/>).</summary>
    public CaseEvidence? Evidence { get; init; }

    /// <summary>The role that would bring the case in (SKIP) or judge it in full (weaker evidence); null otherwise.</summary>
    public string? MissingRole { get; init; }

    /// <summary>A browser case's screenshot, relative to the run folder (browser/&lt;id&gt;.png); null for raw cases.</summary>
    public string? Screenshot { get; init; }

    /// <summary>A browser case's comparison with its raw counterparts' verdicts; null for raw cases.</summary>
    public Browser.AgreementResult? Agreement { get; init; }
}

/// <summary>The bytes of one connection, both ways, in order.</summary>
public sealed record ConnectionTranscript(string Purpose, IReadOnlyList<TranscriptEntry> Entries);
