using Conformance.Harness.Model;

namespace Conformance.Harness.Engine;

/// <summary>Where a finding came from.</summary>
public enum FindingKind
{
    /// <summary>The response (or close, or timeout) was not in the case's outcome set.</summary>
    Outcome,
    /// <summary>An assertion written under "expect:" did not hold.</summary>
    Assertion,
    /// <summary>A response broke the response grammar (checked on every response).</summary>
    Grammar,
    /// <summary>A named check implemented in code did not hold.</summary>
    Check,
    /// <summary>The harness could not do what the case asked (ERROR) or the case could not apply (SKIP).</summary>
    Harness,
    /// <summary>A note that changes no verdict on its own, e.g. an accepted lenient behaviour.</summary>
    Note,
    /// <summary>A browser case and its raw-socket counterparts judged the same behaviour differently.</summary>
    Agreement,
}

/// <summary>
/// One judged observation. Its text names the requirement, expected vs actual, and the fixture file and
/// line, so a reader of a FAIL never needs to open the code.
/// </summary>
public sealed record Finding
{
    public required Verdict Verdict { get; init; }
    public required FindingKind Kind { get; init; }

    /// <summary>A stable id for the rule: "outcome", a grammar check id, a named check, "header Location", ...</summary>
    public required string Rule { get; init; }

    public RequirementLevel? Level { get; init; }
    public RfcReference? Rfc { get; init; }
    public string? Requirement { get; init; }
    public string? Expected { get; init; }
    public string? Actual { get; init; }

    /// <summary>Free text that is neither expected nor actual (why, what it means).</summary>
    public string? Detail { get; init; }

    /// <summary>Byte offset within the response, when the finding concerns specific bytes.</summary>
    public long? Offset { get; init; }

    /// <summary>fixture-file:line of the step or assertion that produced this finding.</summary>
    public string? Location { get; init; }

    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Verdict.ToLabel());
        if (Level is { } l) sb.Append(" [").Append(l.ToKeyword()).Append(']');
        if (Rfc is { } r) sb.Append(' ').Append(r);
        sb.Append(" (").Append(Rule).Append(')');
        if (Requirement is { Length: > 0 } q) sb.Append(": \"").Append(q).Append('"');
        if (Detail is { Length: > 0 } d) sb.Append("\n  ").Append(d);
        if (Expected is not null) sb.Append("\n  expected: ").Append(Expected);
        if (Actual is not null) sb.Append("\n  actual:   ").Append(Actual);
        if (Offset is long o) sb.Append("\n  at response byte offset ").Append(o);
        if (Location is not null) sb.Append("\n  fixture: ").Append(Location);
        return sb.ToString();
    }
}
