namespace Conformance.Harness.Model;

/// <summary>
/// The RFC 2119 keyword a requirement carries. <see cref="Grammar"/> marks an ABNF rule that leaves the
/// sender no choice: breaking it is judged like a MUST.
/// </summary>
public enum RequirementLevel
{
    Must,
    Should,
    May,
    Grammar,
}

public static class RequirementLevels
{
    public static bool TryParse(string text, out RequirementLevel level)
    {
        switch (text)
        {
            case "MUST": level = RequirementLevel.Must; return true;
            case "SHOULD": level = RequirementLevel.Should; return true;
            case "MAY": level = RequirementLevel.May; return true;
            case "GRAMMAR": level = RequirementLevel.Grammar; return true;
            default: level = default; return false;
        }
    }

    public static string ToKeyword(this RequirementLevel level) => level switch
    {
        RequirementLevel.Must => "MUST",
        RequirementLevel.Should => "SHOULD",
        RequirementLevel.May => "MAY",
        RequirementLevel.Grammar => "GRAMMAR",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The verdict a broken requirement of this level earns: a verdict never rises above the level of the sentence broken.</summary>
    public static Verdict VerdictWhenBroken(this RequirementLevel level) => level switch
    {
        RequirementLevel.Must or RequirementLevel.Grammar => Verdict.Fail,
        RequirementLevel.Should => Verdict.Warn,
        _ => Verdict.Info,
    };
}
