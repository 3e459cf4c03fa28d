using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// Runs fixture text through the real parser and <see cref="CaseRunner"/> against a server on loopback:
/// the way every engine and check test proves that a verdict follows from the bytes on the wire.
/// </summary>
public static class CaseHarness
{
    /// <summary>A profile whose roles point at the fault server's built-in routes.</summary>
    public static TargetProfile FaultProfile(Func<ProfileRoles, ProfileRoles>? adjust = null)
    {
        var roles = new ProfileRoles
        {
            Existing = new PathRole { Path = "/" },
            Missing = new MissingRole { Random = true, RandomPrefix = "/missing/" },
            Echo = new EchoRole { Path = "/echo" },
        };
        return new TargetProfile { Name = "fault", Roles = adjust is null ? roles : adjust(roles) };
    }

    /// <summary>Parses the text as one file; fails the test with the lint's messages if it does not parse.</summary>
    public static ConformanceCase Parse(string fixtureText)
    {
        var (cases, errors) = new FixtureParser(NamedCheckRegistry.Default, Fixtures.TestRequirements.Catalog).Parse(fixtureText, "test.cases");
        Assert.That(errors, Is.Empty, string.Join(Environment.NewLine, errors));
        Assert.That(cases, Has.Count.EqualTo(1));
        return cases[0];
    }

    public static Task<CaseResult> RunAsync(string fixtureText, int port, TargetProfile? profile = null, RunSettings? settings = null)
        => RunAsync(Parse(fixtureText), port, profile, settings);

    public static async Task<CaseResult> RunAsync(ConformanceCase @case, int port, TargetProfile? profile = null, RunSettings? settings = null)
    {
        var target = new Target(new Uri($"http://127.0.0.1:{port}/"), profile ?? FaultProfile());
        var runner = new CaseRunner(target, settings ?? Fast, NamedCheckRegistry.Default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await runner.RunAsync(@case, timeout.Token);
    }

    /// <summary>Short bounds: the fault server answers at once, so a timeout here means "no answer".</summary>
    public static RunSettings Fast { get; } = new()
    {
        Seed = 7,
        Wire = new Conformance.Harness.Wire.WireOptions
        {
            ReadTimeout = TimeSpan.FromMilliseconds(500),
            ResponseDeadline = TimeSpan.FromSeconds(2),
            CloseTimeout = TimeSpan.FromMilliseconds(500),
        },
    };

    /// <summary>A case header for tests: id, area, RFC, level, requirement and description.</summary>
    public static string Header(string level = "MUST", string id = "test-case") => $"""
        case: {id}
        area: test
        requirement: {Fixtures.TestRequirements.Harness}
        {(level == "MUST" ? "# judged at the sentence's own level" : "level: " + level)}
        #
        does: Sends a request to the fault server and judges what comes back.

        """;

    public static string Send(params string[] lines) => "send:\n```\n" + string.Join("\n", lines) + "\n```\n";

    public static string Get(string path = "/") => Send($"GET {path} HTTP/1.1", "Host: {host}", "");

    /// <summary>The failing findings' rules, for assertions that name what broke.</summary>
    public static IEnumerable<string> Failing(CaseResult result, Verdict verdict = Verdict.Fail)
        => result.Findings.Where(f => f.Verdict == verdict).Select(f => f.Rule);

    public static string Explain(CaseResult result)
        => $"{result.Verdict.ToLabel()} {result.Reason}\n" + string.Join("\n", result.Findings.Select(f => f.ToString()));
}
