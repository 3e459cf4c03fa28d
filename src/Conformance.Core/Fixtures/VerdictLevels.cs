using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// The lint that keeps every verdict at the level of the sentence it breaks (fixtures/README.md, "What an outcome
/// set holds, and at which level"): a FAIL alternative resolves to a MUST sentence and a WARN one to a SHOULD
/// sentence, the case's own when the levels agree, else the one it names ("2xx WARN[ID]"). A check judged at
/// another level than its case's names its sentence ("[ID]") instead of a bare "[MUST]", so its finding quotes
/// the sentence actually broken.
/// </summary>
public static class VerdictLevels
{
    /// <summary>The level a sentence must have for an answer that breaks it to earn <paramref name="verdict"/>, or null for PASS and INFO.</summary>
    public static RequirementLevel? LevelFor(Verdict verdict) => verdict switch
    {
        Verdict.Fail => RequirementLevel.Must,
        Verdict.Warn => RequirementLevel.Should,
        _ => null,
    };

    /// <summary>The level, section and quote a finding of this alternative carries: its named sentence's, else the case's.</summary>
    public static (RequirementLevel Level, RfcReference Rfc, string Quote) SentenceOf(ConformanceCase c, OutcomeAlternative? alternative) =>
        alternative?.Cited is { } cited ? (cited.Level, cited.Rfc, cited.Shown) : (c.Level, c.Rfc, c.Requirement);

    /// <summary>The same for an assertion: its named sentence, else its bare level with the case's sentence.</summary>
    public static (RequirementLevel Level, RfcReference Rfc, string Quote) SentenceOf(ConformanceCase c, Assertion assertion) =>
        assertion.Cited is { } cited ? (cited.Level, cited.Rfc, cited.Shown) : (assertion.Level ?? c.Level, c.Rfc, c.Requirement);

    /// <summary>Every alternative and assertion of the cases whose verdict has no sentence of its level behind it.</summary>
    public static IEnumerable<FixtureError> Lint(IEnumerable<ConformanceCase> cases, RequirementCatalog requirements)
    {
        foreach (var c in cases)
        {
            // A case judging its sentence below the sentence's level ("level: SHOULD" on a MUST) still quotes that
            // sentence: a WARN it writes out must name the SHOULD it breaks, or the report would quote the MUST.
            var own = requirements.Find(c.RequirementId)?.Level ?? c.Level;
            foreach (var expect in c.Steps.OfType<ExpectStep>())
            {
                foreach (var alternative in expect.Outcomes.Alternatives)
                {
                    if (LevelFor(alternative.Verdict) is not { } needed || (alternative.CitedId is not null && alternative.Cited is null)) continue;
                    var label = alternative.Verdict.ToLabel();
                    if (alternative.Cited is { } cited)
                    {
                        if (cited.Level != needed)
                            yield return new FixtureError(c.SourceFile, expect.Line, "expect",
                                $"case \"{c.Id}\": \"{alternative.Pattern} {label}[{cited.Id}]\" names a {cited.Level.ToKeyword()} sentence; a {label} breaks a {needed.ToKeyword()}: name a {needed.ToKeyword()} sentence or judge the answer {cited.Level.VerdictWhenBroken().ToLabel()}");
                    }
                    else if (c.Level != needed || own != needed)
                    {
                        yield return new FixtureError(c.SourceFile, expect.Line, "expect",
                            $"case \"{c.Id}\": \"{alternative.Pattern} {label}\" is a {label}, but the case's sentence \"{c.RequirementId}\" is {(own == c.Level ? "judged at " + c.Level.ToKeyword() : "a " + own.ToKeyword() + " judged at " + c.Level.ToKeyword())}: "
                            + $"name the {needed.ToKeyword()} sentence the answer breaks (\"{alternative.Pattern} {label}[ID]\") or judge it at the level of the sentence it breaks");
                    }
                }
                foreach (var assertion in expect.Assertions)
                {
                    // A bare [MUST] or [SHOULD] would give the finding that level with the case's quote, which
                    // says something else; [MAY] (INFO) claims no breach, so it needs no sentence.
                    if (assertion.Cited is null && assertion.Level is RequirementLevel.Must or RequirementLevel.Should && assertion.Level != c.Level)
                        yield return new FixtureError(c.SourceFile, assertion.Line, "level",
                            $"case \"{c.Id}\": [{assertion.Level.Value.ToKeyword()}] judges this assertion above or beside the case's {c.Level.ToKeyword()} with the case's quote; name the {assertion.Level.Value.ToKeyword()} sentence it judges instead: [ID]");
                }
            }
        }
    }

    /// <summary>The ids the cases' alternatives and assertions name, which count as cited.</summary>
    public static IEnumerable<string> Named(IEnumerable<ConformanceCase> cases) =>
        cases.SelectMany(c => c.Steps.OfType<ExpectStep>())
            .SelectMany(e => e.Outcomes.Alternatives.Select(a => a.Cited).Concat(e.Assertions.Select(a => a.Cited)))
            .OfType<Requirement>().Select(r => r.Id);
}
