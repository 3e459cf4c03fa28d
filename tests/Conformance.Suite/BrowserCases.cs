using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Suite;

/// <summary>
/// Every browser case (src/Conformance.Browser/BrowserCatalog.cs) as its own test, category
/// "browser" plus its level, against the same target and profile as the fixture cases. They share one
/// Chromium, one case at a time. NUnit runs this non-parallel fixture apart from the fixture cases; the CLI
/// runs them alongside (RunSession.RunAllAsync says why that is safe).
/// Chromium missing: each case is Ignored with how to install it. Browser cases have no snapshot baseline.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BrowserCases
{
    public static IEnumerable<TestCaseData> AllCases()
    {
        var options = SuiteSetup.TrySettings().Options;
        foreach (var c in CaseFilter.Select(BrowserCatalog.Cases, options?.Filter).Where(c => options?.Shard?.Holds(c.Id) ?? true))
        {
            yield return new TestCaseData(c.Id).Describe(c);
        }
    }

    [TestCaseSource(nameof(AllCases))]
    public async Task Case(string id)
    {
        var @case = BrowserCatalog.Find(id) ?? throw new InvalidOperationException($"no browser case {id}");
        var session = SuiteSetup.Session;
        var result = await session.RunBrowserCaseAsync(@case, CancellationToken.None);
        var messages = string.Join(Environment.NewLine, result.Findings.Select(f => f.ToString()));
        TestContext.Out.WriteLine($"{result.Verdict.ToLabel()} {id} ({@case.Case.Level.ToKeyword()}, {@case.Case.Rfc}) — {@case.Case.Location}");
        if (result.Screenshot is { } shot) TestContext.Out.WriteLine($"screenshot: {Path.Combine(session.OutputDirectory, shot)}");
        if (messages.Length > 0) TestContext.Out.WriteLine(messages);
        foreach (var c in result.Connections.SelectMany(c => c.Entries))
            TestContext.Out.WriteLine($"{c.Direction} {System.Text.Encoding.UTF8.GetString(c.Bytes).TrimEnd()} {(c.Note is null ? "" : "(" + c.Note + ")")}");

        switch (result.Verdict)
        {
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
                Assert.Fail(result.Reason is null ? messages : result.Reason + Environment.NewLine + messages);
                return;
        }
    }
}
