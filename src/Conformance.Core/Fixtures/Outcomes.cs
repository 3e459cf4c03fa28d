using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>What the harness observed when it waited for a response.</summary>
public enum ObservedKind
{
    Status,
    /// <summary>The server closed or reset the connection without a response.</summary>
    Closed,
    /// <summary>Nothing arrived within the read bound.</summary>
    Timeout,
    /// <summary>Bytes arrived that are not an HTTP response.</summary>
    NotHttp,
}

/// <summary>One accepted (or explicitly judged) outcome: a status, a status class, a close, or a timeout.</summary>
public sealed record OutcomePattern(ObservedKind Kind, int? Status = null, int? StatusClass = null)
{
    public static readonly OutcomePattern AnyStatus = new(ObservedKind.Status);

    public bool Matches(ObservedKind kind, int? status) => kind == Kind && (Kind != ObservedKind.Status
        || (Status is null && StatusClass is null)
        || (Status is int s && status == s)
        || (StatusClass is int c && status / 100 == c));

    public override string ToString() => Kind switch
    {
        ObservedKind.Status when Status is int s => s.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ObservedKind.Status when StatusClass is int c => $"{c}xx",
        ObservedKind.Status => "any",
        ObservedKind.Closed => "close",
        ObservedKind.Timeout => "timeout",
        _ => "not-http",
    };
}

/// <summary>An alternative in an outcome set with the verdict it earns (PASS unless stated).</summary>
public sealed record OutcomeAlternative(OutcomePattern Pattern, Verdict Verdict)
{
    /// <summary>
    /// "2xx WARN[ID]": the catalog sentence this answer breaks, when it is not the case's own (the case cites a
    /// MUST and the answer breaks only a SHOULD). The finding then carries that sentence's level, section and quote.
    /// </summary>
    public Requirement? Cited { get; init; }

    /// <summary>The id written in brackets, kept when it names no entry (the parser has reported it), so the level lint does not report the same line again.</summary>
    public string? CitedId { get; init; }

    /// <summary>
    /// Added by the evidence fallback, not written in the fixture: a resource refusing content it does not want
    /// (405, 413, ...). A case that ends on one judged framing, not what the server does with the content.
    /// </summary>
    public bool Refusal { get; init; }

    /// <summary>
    /// Added by the evidence fallback, not written in the fixture: a 2xx from a resource that does not want
    /// content, which may answer before it reads the content whose framing the case breaks. The answer proves
    /// nothing about that framing; what follows on the connection judges it.
    /// </summary>
    public bool AnsweredUnread { get; init; }

    /// <summary>
    /// Added by the evidence fallback, not written in the fixture: a 405 or 501 that may refuse the POST the
    /// fallback chose rather than the case's fault. It decides only when the resource answers a plain POST
    /// with the same status; otherwise the status is judged by the set as written.
    /// </summary>
    public bool MethodRefusal { get; init; }
}

/// <summary>
/// The outcomes a case accepts for one response, e.g. "501 | 400 WARN | 2xx FAIL". The first matching
/// alternative decides; an outcome that matches none earns the case level's verdict (MUST -> FAIL,
/// SHOULD -> WARN, MAY -> INFO).
/// </summary>
public sealed record OutcomeSet(IReadOnlyList<OutcomeAlternative> Alternatives)
{
    public OutcomeAlternative? Match(ObservedKind kind, int? status) => Alternatives.FirstOrDefault(a => a.Pattern.Matches(kind, status));

    /// <summary>
    /// True when an alternative names an interim status (100, 1xx): the step then ends at the first 1xx
    /// response, which is judged as the outcome (Expect: 100-continue), instead of reading on to the final one.
    /// </summary>
    public bool AcceptsInterim => Alternatives.Any(a => a.Pattern.Kind == ObservedKind.Status
        && (a.Pattern.Status is >= 100 and < 200 || a.Pattern.StatusClass == 1));

    /// <summary>The alternatives that PASS, for "expected" in messages.</summary>
    public string Describe() => string.Join(" | ", Alternatives.Where(a => a.Verdict == Verdict.Pass).Select(a => a.Pattern.ToString()));

    public override string ToString() => string.Join(" | ", Alternatives.Select(a => a.Verdict == Verdict.Pass ? a.Pattern.ToString() : $"{a.Pattern} {a.Verdict.ToLabel()}"));
}
