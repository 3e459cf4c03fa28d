using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// One conformance case, read from a fixture file. A case is data: its requirement, what the tester does,
/// the exact bytes it sends and the outcomes it accepts. The RFC section lives here and only here.
/// </summary>
public sealed record ConformanceCase
{
    /// <summary>A stable slug (never a position), e.g. "status-line-http-name-is-case-sensitive".</summary>
    public required string Id { get; init; }

    /// <summary>The area the case belongs to (status-line, header-block, keep-alive, ...), used for categories and summaries.</summary>
    public required string Area { get; init; }

    /// <summary>The id of the catalog entry (fixtures/requirements/) the case cites; Rfc, Level and Requirement come from it.</summary>
    public string RequirementId { get; init; } = "";

    /// <summary>
    /// Further entries the verdict rests on ("requirement: ID, ID2, ..."), quoted after the first in
    /// <see cref="Requirement"/>; the first alone gives the section and the level.
    /// </summary>
    public IReadOnlyList<string> AlsoCitedIds { get; init; } = [];

    /// <summary>Every catalog id the case cites, its own first.</summary>
    public IEnumerable<string> CitedIds => AlsoCitedIds.Prepend(RequirementId);

    /// <summary>The quote of one or more cited entries: the first as it is, each further one after "(RFC N §S:)".</summary>
    public static string Quote(IReadOnlyList<Requirement> cited) =>
        string.Join(" ", cited.Select((r, i) => i == 0 ? r.Shown : $"({r.Rfc}:) {r.Shown}"));

    public required RfcReference Rfc { get; init; }

    /// <summary>The cited sentence's level, or the lower level the case judges it at ("level:" in the case).</summary>
    public required RequirementLevel Level { get; init; }

    /// <summary>The RFC's own sentence, quoted (the cited catalog entries' quotes).</summary>
    public required string Requirement { get; init; }

    /// <summary>What the tester does, in one or two sentences.</summary>
    public required string Description { get; init; }

    /// <summary>Repository-relative path of the fixture file, with forward slashes.</summary>
    public required string SourceFile { get; init; }

    /// <summary>The line of the case's "case:" header.</summary>
    public required int Line { get; init; }

    public required IReadOnlyList<CaseStep> Steps { get; init; }

    /// <summary>Profile roles the case needs; a target without one of them makes the case SKIP.</summary>
    public required IReadOnlySet<string> NeededRoles { get; init; }

    /// <summary>
    /// "liveness: yes": after the case, a fresh well-formed request on a NEW connection must be answered.
    /// Malformed input must not crash or wedge a server; that failure is reported as its own finding.
    /// </summary>
    public bool Liveness { get; init; }

    public string Location => $"{SourceFile}:{Line}";

    public override string ToString() => Id;
}

/// <summary>A step of a case, run in order on one connection.</summary>
public abstract record CaseStep(int Line);

/// <summary>Bytes written to the connection in one write.</summary>
public sealed record SendStep(int Line, IReadOnlyList<ByteSegment> Segments) : CaseStep(Line);

/// <summary>
/// A deliberate gap between two writes, to test split delivery. This is part of the stimulus, not a wait
/// for the server: the harness never sleeps to wait for a response.
/// </summary>
public sealed record PauseStep(int Line, TimeSpan Duration) : CaseStep(Line);

/// <summary>Read one response (or observe a close or a timeout) and judge it.</summary>
public sealed record ExpectStep(int Line, OutcomeSet Outcomes, IReadOnlyList<Assertion> Assertions) : CaseStep(Line)
{
    /// <summary>
    /// "expect: ... within 300ms": the read bound of this step, when a case must observe the server waiting
    /// (an undersent body, nothing after a smuggled request) without spending the general read timeout.
    /// </summary>
    public TimeSpan? Within { get; init; }

    /// <summary>The assertions that judge this observed outcome (those scoped "on ..." to other outcomes are left out).</summary>
    public IReadOnlyList<Assertion> AssertionsFor(ObservedKind kind, int? status) => [.. Assertions.Where(a => a.AppliesTo(kind, status))];
}

/// <summary>A piece of a send block: literal bytes, a placeholder resolved at run time, or a repetition.</summary>
public abstract record ByteSegment;

public sealed record LiteralBytes(byte[] Bytes) : ByteSegment;

/// <summary>A {name} in a send block or assertion, e.g. {host}, {path.redirect}, {capture.etag}.</summary>
public sealed record PlaceholderRef(string Name) : ByteSegment;

/// <summary>{repeat:N:unit}: the unit's bytes N times, for long targets and huge fields.</summary>
public sealed record RepeatBytes(int Count, byte[] Unit) : ByteSegment;
