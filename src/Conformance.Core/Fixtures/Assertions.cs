using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// A check on a response, written under an "expect:" line. <see cref="Level"/> overrides the case's level
/// for this one assertion (e.g. a 301's Location is only a SHOULD).
/// </summary>
public abstract record Assertion(int Line, RequirementLevel? Level)
{
    /// <summary>
    /// "on 2xx: body: == hello": the responses this assertion applies to (null: every response). An outcome set
    /// may accept answers that prove different things (the decoded content in a 2xx, a close after a 411 that
    /// refused the content unread); each assertion is judged only on the answers it is about.
    /// </summary>
    public IReadOnlyList<OutcomePattern>? On { get; init; }

    public bool AppliesTo(ObservedKind kind, int? status) => On is null || On.Any(p => p.Matches(kind, status));

    /// <summary>
    /// "check: field-on-status 405 Allow [rfc9110-15.5.6-generate-allow-405-containing]": the catalog sentence this
    /// assertion judges, when it is not the case's own; its level, section and quote replace the case's.
    /// </summary>
    public Requirement? Cited { get; init; }

    /// <summary>The id written in brackets, kept when it names no entry (the parser has reported it), so the level lint does not report the same line again.</summary>
    public string? CitedId { get; init; }

}

public enum HeaderOp
{
    Present,
    Absent,
    /// <summary>Exactly equal (after placeholders are resolved).</summary>
    Equals,
    /// <summary>Contains the text, ignoring ASCII case.</summary>
    Contains,
    NotContains,
    /// <summary>The number of field lines with this name.</summary>
    Count,
}

public sealed record HeaderAssertion(int Line, RequirementLevel? Level, string FieldName, HeaderOp Op, string Operand) : Assertion(Line, Level);

public enum BodyOp
{
    Empty,
    NotEmpty,
    Equals,
    Contains,
    NotContains,
}

public sealed record BodyAssertion(int Line, RequirementLevel? Level, BodyOp Op, string Operand) : Assertion(Line, Level);

public enum ConnectionState
{
    /// <summary>Proved by a follow-up request on the same connection that gets a response.</summary>
    Open,
    /// <summary>Proved by a read of 0 bytes or a reset within the close bound.</summary>
    Closed,
}

public sealed record ConnectionAssertion(int Line, RequirementLevel? Level, ConnectionState State) : Assertion(Line, Level);

/// <summary>Where a capture takes its value from.</summary>
public enum CaptureSource
{
    /// <summary>The first field line named <see cref="CaptureAssertion.FieldName"/>: its value.</summary>
    Header,
    /// <summary>The Set-Cookie line whose cookie-name is <see cref="CaptureAssertion.FieldName"/>: its cookie-pair, "name=value".</summary>
    Cookie,
}

/// <summary>
/// Keeps a value of this response for later steps as {capture.NAME}; a missing value makes later uses SKIP.
/// <see cref="FieldName"/> names the field (Header) or the cookie (Cookie; may be the placeholder {cookie.name}).
/// </summary>
public sealed record CaptureAssertion(int Line, string Name, string FieldName, CaptureSource Source = CaptureSource.Header) : Assertion(Line, null);

/// <summary>A check implemented in code, referenced by name (e.g. "location-resolves-to"), with its arguments.</summary>
public sealed record NamedCheckAssertion(int Line, RequirementLevel? Level, string CheckName, IReadOnlyList<string> Arguments) : Assertion(Line, Level);
