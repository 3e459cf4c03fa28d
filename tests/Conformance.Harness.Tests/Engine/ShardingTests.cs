using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.ReferenceServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>--shard k/n splits the catalog deterministically; merged shards equal one full run.</summary>
public sealed class ShardingTests
{
    private static IReadOnlyList<ConformanceCase> Catalog()
    {
        var root = RepoPaths.Root();
        return FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases;
    }

    [TestCase("0/4")]
    [TestCase("5/4")]
    [TestCase("2")]
    [TestCase("a/b")]
    [TestCase("1/0")]
    public void A_bad_shard_is_a_usage_error_naming_the_option(string text)
    {
        var e = Assert.Throws<UsageException>(() => Shard.Parse(text, "--shard"));
        Assert.That(e!.Message, Does.StartWith("--shard: expected k/n").And.Contain($"\"{text}\""));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    public void The_shards_of_a_split_are_disjoint_and_hold_every_case(int n)
    {
        var cases = Catalog();
        var shards = Enumerable.Range(1, n).Select(k => new Shard(k, n).Select(cases)).ToList();
        Assert.That(shards.SelectMany(s => s).Select(c => c.Id), Is.EquivalentTo(cases.Select(c => c.Id)));
        Assert.That(shards.Sum(s => s.Count), Is.EqualTo(cases.Count));
    }

    [Test]
    public void A_case_keeps_its_shard_when_other_cases_are_added()
    {
        var cases = Catalog();
        var before = cases.ToDictionary(c => c.Id, c => Shard.Bucket(c.Id, 4));
        var grown = cases.Concat(Enumerable.Range(0, 50).Select(i => Parse(Header(id: $"added-case-{i}") + Get() + "expect: 200\n"))).ToList();
        foreach (var c in cases)
            Assert.That(Enumerable.Range(1, 4).Single(k => new Shard(k, 4).Select(grown).Contains(c)), Is.EqualTo(before[c.Id] + 1), c.Id);
    }

    [Test]
    public void Cases_that_can_wait_longest_start_first_and_ties_keep_fixture_order()
    {
        var quick1 = Parse(Header(id: "quick-one") + Get() + "expect: 200\n");
        var waits = Parse(Header(id: "waits-for-close") + Get() + "expect: 400\n  connection: closed\n");
        var quick2 = Parse(Header(id: "quick-two") + Get() + "expect: 200\n");
        var times = Parse(Header(id: "may-time-out") + Get() + "expect: 400 | timeout\n  connection: closed\n");
        var pauses = Parse(Header(id: "pauses") + Send("GET / HTTP/1.1") + "pause: 100ms\n" + Send("Host: {host}", "") + "expect: 200\n");
        var order = CaseSchedule.LongestWaitFirst([quick1, waits, quick2, times, pauses], new Conformance.Harness.Wire.WireOptions());
        Assert.That(order, Is.EqualTo(new[] { 3, 1, 4, 0, 2 }), "the longest possible wait first (2 s read + 1 s close, 1 s close, 100 ms pause), then the rest in fixture order");
    }

    [Test]
    public async Task Three_shards_merged_equal_one_full_run()
    {
        await using var server = await ReferenceServerApp.StartAsync(0);
        var profile = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json");
        var options = new RunOptions { TargetUrl = server.BaseUri.ToString(), ProfilePath = profile, Seed = 11 };
        var folder = Reports.TestReports.TempDir();

        async Task<string> RunAsync(string name, Shard? shard)
        {
            var dir = Path.Combine(folder, name);
            var result = await ConformanceRun.ExecuteAsync(options with { Shard = shard, OutputDirectory = dir }, NoLaunch, ReportWriters.All(), _ => { }, null, CancellationToken.None);
            Assert.That(result.Report, Is.Not.Null, result.Message);
            Assert.That(result.Report!.Run.Shard, Is.EqualTo(shard?.ToString()));
            return Path.Combine(dir, JsonReport.FileName);
        }

        var full = JsonReport.Read(await RunAsync("full", null));
        var shardFiles = new List<string>();
        for (var k = 1; k <= 3; k++) shardFiles.Add(await RunAsync($"shard-{k}", new Shard(k, 3)));
        var shardReports = shardFiles.Select(JsonReport.Read).ToList();
        Assert.That(shardReports.Select(r => r.Certification!.ConformsAtMust), Has.All.False, "a shard alone never certifies");

        var mergedDir = Path.Combine(folder, "merged");
        var exit = ReportMerge.Run(shardFiles, mergedDir, ReportWriters.All(), TextWriter.Null, TextWriter.Null);
        var merged = JsonReport.Read(Path.Combine(mergedDir, JsonReport.FileName));

        Assert.That(exit, Is.EqualTo(RunSession.GateExitCode(full, strict: false)));
        Assert.That(merged.Cases.Select(c => (c.Id, c.Verdict)), Is.EqualTo(full.Cases.Select(c => (c.Id, c.Verdict))));
        Assert.That(merged.Summary.ByVerdict, Is.EqualTo(full.Summary.ByVerdict));
        Assert.That(merged.Summary.ByArea, Is.EqualTo(full.Summary.ByArea));
        Assert.That(merged.Summary.ByLevel, Is.EqualTo(full.Summary.ByLevel));
        Assert.That(merged.Run.Complete, Is.EqualTo(full.Run.Complete));
        Assert.That(merged.Run.Shard, Is.Null);
        var (m, f) = (merged.Certification!, full.Certification!);
        Assert.That((m.Must, m.Should, m.May, m.ConformsAtMust, m.Complete, m.Statement), Is.EqualTo((f.Must, f.Should, f.May, f.ConformsAtMust, f.Complete, f.Statement)));
        foreach (var file in new[] { JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName })
            Assert.That(File.Exists(Path.Combine(mergedDir, file)), Is.True, file);
    }

    private static Task<ILaunchedTarget> NoLaunch(CancellationToken ct) => throw new InvalidOperationException("the test gives a target");
}
