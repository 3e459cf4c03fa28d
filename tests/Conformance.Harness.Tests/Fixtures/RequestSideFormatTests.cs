using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>The request-side additions to the format: "liveness: yes" and "expect: ... within Nms", and their lint.</summary>
public sealed class RequestSideFormatTests
{
    private const string Header = """
        case: sample-case
        area: sample
        # cites the tests' own catalog (TestRequirements)
        #
        requirement: rfc9112-3.2-sample
        does: Sends bytes.

        """;

    private const string Block = "send:\n```\nGET / HTTP/1.1\n\n```\n";

    private static (IReadOnlyList<ConformanceCase> Cases, IReadOnlyList<FixtureError> Errors) Parse(string text)
        => new FixtureParser(NamedCheckRegistry.Default, TestRequirements.Catalog).Parse(text, "fixtures/cases/sample.cases");

    [Test]
    public void Within_sets_the_step_bound_and_leaves_the_outcomes()
    {
        var (cases, errors) = Parse(Header + Block + "expect: 400 | timeout FAIL within 300ms\n");
        Assert.That(errors, Is.Empty);
        var expect = cases[0].Steps.OfType<ExpectStep>().Single();
        Assert.That(expect.Within, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
        Assert.That(expect.Outcomes.ToString(), Is.EqualTo("400 | timeout FAIL"));
    }

    [TestCase("within 0ms")]
    [TestCase("within 3000ms")]
    [TestCase("within 1s")]
    public void A_bad_within_bound_is_a_lint_error_on_its_line(string suffix)
    {
        var (_, errors) = Parse(Header + Block + $"expect: 400 {suffix}\n");
        Assert.That(errors.Select(e => (e.Line, e.Field)), Is.EqualTo(new[] { (12, "expect") }), string.Join("\n", errors));
    }

    [Test]
    public void Liveness_yes_marks_the_case_and_absence_leaves_it_off()
    {
        Assert.That(Parse(Header.Replace("does:", "liveness: yes\ndoes:", StringComparison.Ordinal) + Block + "expect: 400\n").Cases[0].Liveness, Is.True);
        Assert.That(Parse(Header + Block + "expect: 400\n").Cases[0].Liveness, Is.False);
    }

    [Test]
    public void Liveness_takes_only_yes()
    {
        var (_, errors) = Parse(Header + "liveness: no\n" + Block + "expect: 400\n");
        Assert.That(errors.Select(e => (e.Line, e.Field)), Is.EqualTo(new[] { (7, "liveness") }), string.Join("\n", errors));
    }

    [Test]
    public void An_interim_alternative_makes_the_step_stop_at_a_1xx()
    {
        var (cases, _) = Parse(Header + Block + "expect: 100 | 2xx\n");
        Assert.That(cases[0].Steps.OfType<ExpectStep>().Single().Outcomes.AcceptsInterim, Is.True);
        var (plain, _) = Parse(Header + Block + "expect: 2xx | 4xx\n");
        Assert.That(plain[0].Steps.OfType<ExpectStep>().Single().Outcomes.AcceptsInterim, Is.False);
    }
}
