using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// An unexpected exception in one case is that case's ERROR, naming the exception: the other cases are
/// still judged and every report is still written. A named check that throws stands in for any harness bug.
/// </summary>
public sealed class RobustRunnerTests
{
    private const string ThrowingCase = "status-line-http-name-is-uppercase-http";

    /// <summary>The real "grammar" check, except that it throws in <see cref="ThrowingCase"/>.</summary>
    private sealed class ThrowingGrammar : NamedCheck
    {
        private readonly GrammarRuleHolds real = new();

        public override string Name => real.Name;

        public override string Usage => real.Usage;

        public override string? ValidateArguments(IReadOnlyList<string> arguments) => real.ValidateArguments(arguments);

        public override CheckOutcome Evaluate(CheckContext context)
            => context.Case.Case.Id == ThrowingCase
                ? throw new InvalidOperationException("planted fault in the grammar check")
                : real.Evaluate(context);
    }

    private static NamedCheckRegistry Registry() =>
        new(BuiltInChecks.All().Select(c => c.Name == GrammarRuleHolds.CheckName ? new ThrowingGrammar() : c));

    [Test]
    public async Task A_case_that_throws_is_an_error_naming_the_exception_and_every_report_is_written()
    {
        await using var server = await ReferenceServerApp.StartAsync();
        var dir = Reports.TestReports.TempDir();
        var options = new RunOptions
        {
            TargetUrl = server.BaseUri.ToString(),
            ProfilePath = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"),
            Seed = 5,
            Filter = "status-line",
            OutputDirectory = dir,
            Checks = Registry(),
        };

        var result = await ConformanceRun.ExecuteAsync(options, _ => throw new InvalidOperationException("the test gives a target"),
            ReportWriters.All(), _ => { }, null, CancellationToken.None);

        foreach (var file in new[] { JsonReport.FileName, JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName })
            Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
        var report = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(report.Run.Complete, Is.True, report.Run.Note);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), "an ERROR fails the conformance gate");

        var thrown = report.Cases.Single(c => c.Id == ThrowingCase);
        Assert.That(thrown.Verdict, Is.EqualTo(Verdict.Error.ToLabel()));
        Assert.That(thrown.Reason, Does.Contain("System.InvalidOperationException: planted fault in the grammar check"));
        Assert.That(thrown.Findings.Single().Rule, Is.EqualTo(HarnessFault.Rule));

        // Every other status-line case still ran and was judged on its own.
        var others = report.Cases.Where(c => c.Id != ThrowingCase && !c.Id.StartsWith("browser-", StringComparison.Ordinal)).ToList();
        Assert.That(others, Has.Count.GreaterThan(3));
        Assert.That(others.Select(c => c.Verdict), Has.None.EqualTo(Verdict.Error.ToLabel()));
    }

    [Test]
    public async Task Cancellation_is_not_a_harness_fault()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var @case = FixtureSet.Load(RepoPaths.Cases(RepoPaths.Root()), RepoPaths.Root(), NamedCheckRegistry.Default).Cases[0];
        Assert.ThrowsAsync<OperationCanceledException>(() => HarnessFault.GuardAsync(@case, () => throw new OperationCanceledException(cancelled.Token), cancelled.Token));
        var guarded = await HarnessFault.GuardAsync(@case, () => throw new OperationCanceledException(), CancellationToken.None);
        Assert.That(guarded.Verdict, Is.EqualTo(Verdict.Error), "a cancellation the run did not ask for is a fault like any other");
    }
}
