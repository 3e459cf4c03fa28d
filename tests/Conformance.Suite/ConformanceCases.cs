using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;

namespace Conformance.Suite;

/// <summary>
/// Every fixture case as its own test, named by its id, with categories for its area and level, run in
/// parallel over separate connections (bound: NUnit.NumberOfTestWorkers, default in AssemblyInfo.cs).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ConformanceCases
{
    public static IEnumerable<TestCaseData> AllCases()
    {
        var root = RepoPaths.Root();
        var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
        if (set.Errors.Count > 0)
        {
            // A broken fixture set still shows up as one failing, self-explaining test.
            yield return new TestCaseData(null, string.Join(Environment.NewLine, set.Errors)).SetName("fixtures-are-valid");
            yield break;
        }
        var (options, problem) = SuiteSetup.TrySettings();
        if (options is null)
        {
            yield return new TestCaseData(null, problem).SetName("settings-are-valid");
            yield break;
        }
        // The same selection as the run: --filter, then --shard (CONFORMANCE_FILTER, CONFORMANCE_SHARD).
        var selected = CaseFilter.Apply(set.Cases, options.Filter);
        foreach (var c in options.Shard is { } shard ? shard.Select(selected) : selected)
        {
            yield return new TestCaseData(c, null).Describe(c);
        }
    }

    [TestCaseSource(nameof(AllCases))]
    public async Task Case(ConformanceCase? @case, string? whyNotRunnable)
    {
        if (@case is null)
        {
            Assert.Fail($"the run cannot start:{Environment.NewLine}{whyNotRunnable}");
            return;
        }
        var session = SuiteSetup.Session;
        var result = await session.RunCaseAsync(@case, CancellationToken.None);
        var messages = string.Join(Environment.NewLine, result.Findings.Select(f => f.ToString()));
        TestContext.Out.WriteLine($"{result.Verdict.ToLabel()} {@case.Id} ({@case.Level.ToKeyword()}, {@case.Rfc}) — {@case.Location}");
        if (messages.Length > 0) TestContext.Out.WriteLine(messages);

        // Verified before the verdict ends the test (Assert.Ignore/Fail throw): a changed answer is news
        // whatever the verdict, so it fails a PASS, SKIP or WARN case and is added to a FAIL's message.
        string? snapshotChange = null;
        if (SuiteSetup.Snapshots is var (store, scrubber))
        {
            var snapshot = store.Verify(SnapshotRenderer.Render(ReportBuilder.ToReport(result), @case, scrubber));
            if (!snapshot.Ok) snapshotChange = snapshot.Describe();
        }

        // With approved baselines the suite gates on them by default (CONFORMANCE_GATE=conformance gates on
        // verdicts alone): an approved deviation is reported as a warning, a change of any kind fails.
        var gate = session.Options.Gate ?? (SuiteSetup.Snapshots is null ? GateMode.Conformance : GateMode.Baseline);
        if (gate == GateMode.Baseline && SuiteSetup.Snapshots is not null)
        {
            if (snapshotChange is not null) Assert.Fail(snapshotChange + Environment.NewLine + messages);
            if (result.Verdict == Verdict.Skip) Assert.Ignore(result.Reason ?? "skipped");
            if (result.Verdict is Verdict.Fail or Verdict.Error or Verdict.Warn)
                Assert.Warn($"approved in the baseline: {result.Verdict.ToLabel()} {result.Reason}{Environment.NewLine}{messages}");
            return;
        }

        switch (result.Verdict)
        {
            case Verdict.Pass or Verdict.Info or Verdict.Skip or Verdict.Warn when snapshotChange is not null && (result.Verdict != Verdict.Warn || !session.Settings.Strict):
                Assert.Fail(snapshotChange);
                return;
            case Verdict.Pass:
            case Verdict.Info:
                return;
            case Verdict.Skip:
                Assert.Ignore(result.Reason ?? "skipped");
                return;
            case Verdict.Warn when !session.Settings.Strict:
                Assert.Warn(messages);
                return;
            default:
                Assert.Fail((result.Reason ?? messages) + (snapshotChange is null ? "" : Environment.NewLine + snapshotChange));
                return;
        }
    }
}
