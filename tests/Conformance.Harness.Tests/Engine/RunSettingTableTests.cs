using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.Engine;

/// <summary>The settings table: one declaration per setting, flags over variables, and docs/settings.md made from it.</summary>
public sealed class RunSettingTableTests
{
    private static RunOptions Resolve(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string> variables) =>
        RunSettingTable.Resolve(
            flags.ToDictionary(f => RunSettingTable.ByFlag(f.Key) ?? throw new ArgumentException($"no setting {f.Key}"), f => f.Value),
            name => variables.GetValueOrDefault(name));

    private static readonly Dictionary<string, string> None = [];

    [Test]
    public void Docs_settings_md_is_generated_from_the_table()
    {
        var path = Path.Combine(RepoPaths.Root(), "docs", "settings.md");
        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";
        Assert.That(committed, Is.EqualTo(RunSettingTable.Markdown()),
            "docs/settings.md is stale: regenerate it with `dotnet src/Conformance.Cli/bin/Release/net10.0/conformance.dll settings > docs/settings.md`");
    }

    [Test]
    public void Each_flag_and_variable_is_declared_once()
    {
        var flags = RunSettingTable.All.Where(s => s.Flag is not null).Select(s => s.Flag).ToList();
        var variables = RunSettingTable.All.Select(s => s.Variable).ToList();
        Assert.That(flags, Is.Unique);
        Assert.That(variables, Is.Unique);
        Assert.That(variables, Has.All.StartsWith("CONFORMANCE_"));
        Assert.That(variables, Does.Contain(RepoPaths.RootVariable), "CONFORMANCE_ROOT is documented with the others");
    }

    [Test]
    public void A_flag_wins_over_its_variable_and_a_variable_fills_in_where_no_flag_is_given()
    {
        var variables = new Dictionary<string, string> { [RunOptions.Env.Seed] = "7", [RunOptions.Env.Parallel] = "3", [RunOptions.Env.Strict] = "true" };
        Assert.That(Resolve(None, variables), Has.Property(nameof(RunOptions.Seed)).EqualTo(7).And.Property(nameof(RunOptions.Strict)).True);
        var both = Resolve(new Dictionary<string, string> { ["--seed"] = "5", ["--strict"] = "false" }, variables);
        Assert.That(both.Seed, Is.EqualTo(5));
        Assert.That(both.Strict, Is.False, "--strict false overrides CONFORMANCE_STRICT=true");
        Assert.That(both.Parallelism, Is.EqualTo(3));
    }

    [Test]
    public void A_server_flag_cancels_a_target_variable_and_the_reverse()
    {
        var target = new Dictionary<string, string> { [RunOptions.Env.Target] = "http://127.0.0.1:1/" };
        var viaServer = Resolve(new Dictionary<string, string> { ["--server"] = "nginx" }, target);
        Assert.That((viaServer.Server, viaServer.TargetUrl), Is.EqualTo(("nginx", (string?)null)));
        var viaTarget = Resolve(new Dictionary<string, string> { ["--target"] = "http://127.0.0.1:2/" }, new Dictionary<string, string> { [RunOptions.Env.Server] = "apache" });
        Assert.That((viaTarget.Server, viaTarget.TargetUrl), Is.EqualTo(((string?)null, "http://127.0.0.1:2/")));
    }

    [Test]
    public void Target_and_server_in_the_same_layer_are_refused()
    {
        Assert.That(() => Resolve(new Dictionary<string, string> { ["--server"] = "nginx", ["--target"] = "http://127.0.0.1:1/" }, None),
            Throws.TypeOf<UsageException>().With.Message.Contains("--server and --target both name the server under test"));
        Assert.That(() => Resolve(None, new Dictionary<string, string> { [RunOptions.Env.Server] = "nginx", [RunOptions.Env.Target] = "http://127.0.0.1:1/" }),
            Throws.TypeOf<UsageException>().With.Message.Contains("CONFORMANCE_SERVER and CONFORMANCE_TARGET both"));
    }

    [TestCase("500", 500)]
    [TestCase("500ms", 500)]
    [TestCase("5s", 5000)]
    [TestCase("1.5s", 1500)]
    [TestCase("2m", 120_000)]
    [TestCase("2M", 120_000)]
    public void Durations_take_the_units_people_write(string text, int ms)
    {
        Assert.That(Resolve(new Dictionary<string, string> { ["--read-timeout"] = text }, None).Wire.ReadTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(ms)));
        Assert.That(Resolve(None, new Dictionary<string, string> { ["CONFORMANCE_CLOSE_TIMEOUT_MS"] = text }).Wire.CloseTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(ms)));
    }

    [TestCase("soon")]
    [TestCase("5h")]
    [TestCase("1.5ms")]
    [TestCase("10")]
    [TestCase("11m")]
    [TestCase("-5s")]
    public void A_bad_duration_names_the_flag_and_the_forms_accepted(string text)
    {
        Assert.That(() => Resolve(new Dictionary<string, string> { ["--read-timeout"] = text }, None),
            Throws.TypeOf<UsageException>().With.Message.EqualTo($"--read-timeout: expected a duration from 50ms to 10m, e.g. 500 or 500ms (milliseconds), 5s, 1.5s or 2m, got \"{text}\""));
    }

    [Test]
    public void A_misspelt_value_gets_the_nearest_valid_one()
    {
        Assert.That(() => Resolve(new Dictionary<string, string> { ["--gate"] = "baseine" }, None),
            Throws.TypeOf<UsageException>().With.Message.EndsWith("did you mean 'baseline'?"));
        Assert.That(() => Resolve(None, new Dictionary<string, string> { [RunOptions.Env.Server] = "ngnix" }),
            Throws.TypeOf<UsageException>().With.Message.StartsWith("CONFORMANCE_SERVER: unknown server \"ngnix\"").And.Message.EndsWith("did you mean 'nginx'?"));
    }

    [Test]
    public void An_unknown_role_lists_the_valid_roles_and_the_nearest()
    {
        const string json = "{\n  \"name\": \"mine\",\n  \"roles\": {\n    \"existing\": { \"path\": \"/\" },\n    \"echoo\": { \"path\": \"/echo\" }\n  }\n}\n";
        var e = Assert.Throws<ProfileException>(() => TargetProfileLoader.Parse(json, "fixtures/targets/mine.json"))!;
        Assert.That(e.Message, Does.StartWith("unknown role 'echoo' in fixtures/targets/mine.json line 5 (in $.roles); valid roles: existing, validators, redirect, missing, cookieSetter, cookieChecker, cookieEcho, secureCookieSetter, echo"));
        Assert.That(e.Message, Does.EndWith("; did you mean 'echo'?"));
        Assert.That(e.Message, Does.Not.Contain(".NET").And.Not.Contain("Conformance."));
    }

    [Test]
    public void An_unknown_field_lists_the_valid_fields()
    {
        var e = Assert.Throws<ProfileException>(() => TargetProfileLoader.Parse("{\n  \"nmae\": \"mine\"\n}\n", "p.json"))!;
        Assert.That(e.Message, Does.StartWith("unknown field 'nmae' in p.json line 2; valid fields: name, description, roles; did you mean 'name'?"));
        var inRole = Assert.Throws<ProfileException>(() => TargetProfileLoader.Parse("{\"name\":\"x\",\"roles\":{\"redirect\":{\"path\":\"/a\",\"location\":\"/b\",\"stauts\":302}}}", "p.json"))!;
        Assert.That(inRole.Message, Does.Contain("unknown field 'stauts'").And.Contain("(in $.roles.redirect)").And.Contain("valid fields: path, location, status").And.EndsWith("did you mean 'status'?"));
    }
}
