using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.Reach;

/// <summary>
/// The fallback over the committed catalog: every request-side case that needs the echo role is judged on a
/// profile naming only the existing and missing resources, and the response-side cases that judge the echo's
/// own response are the only ones left to SKIP.
/// </summary>
public sealed class EvidenceFallbackCatalogTests
{
    private static readonly TargetProfile ExistingAndMissing = new()
    {
        Name = "existing-missing",
        Roles = new ProfileRoles { Existing = new PathRole { Path = "/" }, Missing = new MissingRole() },
    };

    /// <summary>Areas whose cases are about what the server does with what it receives.</summary>
    private static readonly string[] RequestSideAreas = ["request-framing", "chunked", "smuggling", "expect", "request-fields", "keep-alive", "status-line"];

    private static IReadOnlyList<ConformanceCase> EchoCases()
    {
        var root = RepoPaths.Root();
        var set = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
        return set.Cases.Where(c => c.NeededRoles.Contains(Roles.Echo)).ToList();
    }

    [Test]
    public void No_request_side_case_needs_the_echo_role_on_an_existing_and_missing_profile()
    {
        var cases = EchoCases();
        Assert.That(cases, Has.Count.GreaterThan(100), "the catalog's echo cases were found");
        var stillNeeding = cases.Select(c => (c, plan: EvidenceFallback.Plan(c, ExistingAndMissing)))
            .Where(x => x.plan.Case.NeededRoles.Contains(Roles.Echo)).Select(x => x.c).ToList();
        Assert.That(stillNeeding.Where(c => RequestSideAreas.Contains(c.Area)).Select(c => c.Id), Is.Empty);
        // The rest judge the echo's own response (its framing when it streams): another resource would not produce it.
        Assert.That(stillNeeding.Select(c => c.Id), Is.EquivalentTo(new[]
        {
            "header-no-content-length-with-transfer-encoding", "header-no-transfer-encoding-to-http-1-0", "message-chunked-response-is-well-formed",
        }));
        Assert.That(stillNeeding.Select(EvidenceFallback.WhyNotAdaptable), Has.All.Contains("echo's own response"));
    }

    [Test]
    public void An_adapted_case_sends_to_the_existing_resource_and_compares_no_content()
    {
        foreach (var c in EchoCases())
        {
            var plan = EvidenceFallback.Plan(c, ExistingAndMissing);
            if (plan.Case.NeededRoles.Contains(Roles.Echo)) continue;
            var placeholders = plan.Case.Steps.OfType<SendStep>().SelectMany(s => s.Segments).OfType<PlaceholderRef>().Select(p => p.Name);
            Assert.That(placeholders, Has.None.StartsWith("echo.").And.None.EqualTo("path.echo"), c.Id);
            Assert.That(plan.Case.NeededRoles, Does.Contain(Roles.Existing), c.Id);
            Assert.That(plan.Evidence, Is.Not.Null, c.Id);
            var hadBody = c.Steps.OfType<ExpectStep>().Any(e => e.Assertions.OfType<BodyAssertion>().Any());
            Assert.That(plan.Evidence!.Weaker, Is.EqualTo(hadBody), $"{c.Id}: weaker exactly when a content comparison was dropped");
            if (hadBody) Assert.That(plan.Evidence.Description, Does.Contain("content not compared (no echo role)"), c.Id);
        }
    }

    [Test]
    public void Widening_adds_refusals_only_where_success_a_close_or_a_wait_passes_and_never_overrides_the_set()
    {
        static OutcomeSet Set(params (OutcomePattern P, Verdict V)[] alternatives) => new([.. alternatives.Select(a => new OutcomeAlternative(a.P, a.V))]);
        var success = new OutcomePattern(ObservedKind.Status, StatusClass: 2);
        var only400 = Set((new OutcomePattern(ObservedKind.Status, 400), Verdict.Pass));
        Assert.That(EvidenceFallback.Widen(only400), Is.SameAs(only400), "invalid framing MUST be a 400: a refusal does not replace it");

        var successFails = Set((new OutcomePattern(ObservedKind.Status, 400), Verdict.Pass), (success, Verdict.Fail));
        Assert.That(EvidenceFallback.Widen(successFails), Is.SameAs(successFails), "a set where only a rejection passes stays as written");

        var withWarn = Set((success, Verdict.Pass), (new OutcomePattern(ObservedKind.Status, StatusClass: 4), Verdict.Warn));
        var widened = EvidenceFallback.Widen(withWarn);
        Assert.That(widened.Match(ObservedKind.Status, 405)!.Verdict, Is.EqualTo(Verdict.Warn), "the set's own 4xx WARN still decides 405");
        Assert.That(widened.Match(ObservedKind.Status, 501)!.Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(widened.Match(ObservedKind.Status, 400)!.Verdict, Is.EqualTo(Verdict.Warn));

        var waits = EvidenceFallback.Widen(Set((new OutcomePattern(ObservedKind.Timeout), Verdict.Pass), (success, Verdict.Fail)));
        Assert.That(waits.Match(ObservedKind.Status, 413)!.Verdict, Is.EqualTo(Verdict.Pass), "refusing an undersent body early is no answer as complete");
        Assert.That(waits.Match(ObservedKind.Status, 200)!.Verdict, Is.EqualTo(Verdict.Fail));
    }

    [Test]
    public void Only_the_step_answering_the_content_request_is_adapted()
    {
        var c = EchoCases().Single(x => x.Id == "smuggling-cl-te-plain");
        var plan = EvidenceFallback.Plan(c, ExistingAndMissing);
        var expects = plan.Case.Steps.OfType<ExpectStep>().ToList();
        Assert.That(expects[0].Outcomes.Match(ObservedKind.Status, 405)!.Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That(expects[1].Outcomes.Match(ObservedKind.Status, 405)!.Verdict, Is.EqualTo(Verdict.Fail), "an answer to the hidden request still fails");
        Assert.That(plan.Case.Steps.OfType<FollowUpStep>(), Is.Empty, "the case's own second step already follows up");

        var expect = EchoCases().Single(x => x.Id == "expect-100-continue-is-answered-before-content");
        var steps = EvidenceFallback.Plan(expect, ExistingAndMissing).Case.Steps;
        Assert.That(steps.OfType<ExpectStep>().Last().Outcomes.Match(ObservedKind.Status, 405)!.Verdict, Is.EqualTo(Verdict.Pass), "the final answer after the content");
        Assert.That(steps[^1], Is.TypeOf<FollowUpStep>());
    }
}
