using System.Globalization;
using System.Text;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Servers;

namespace Conformance.Harness.Engine;

/// <summary>
/// One setting of a run, declared once: its flag, its environment variable, how its text is parsed into
/// <see cref="RunOptions"/>, its default and its help. The CLI's options, the environment reading (CLI and
/// NUnit suite), `--help` and docs/settings.md are all made from <see cref="RunSettingTable.All"/>.
/// </summary>
/// <param name="Flag">The command-line flag, e.g. "--target"; null for a setting only a variable can give.</param>
/// <param name="Variable">The environment variable (or NUnit parameter) of the same setting.</param>
/// <param name="ValueName">What the flag takes, e.g. "URL"; null for a switch (present means on).</param>
/// <param name="Default">The default, in words, for help and docs.</param>
/// <param name="Help">What it does, one sentence or two.</param>
/// <param name="Apply">Parses the text (from <paramref name="Flag"/> or <paramref name="Variable"/>, named by the second argument) into the options; throws <see cref="UsageException"/>.</param>
/// <param name="Excludes">Another setting naming the same thing: both in one layer is an error; a flag of one cancels a variable of the other.</param>
public sealed record RunSetting(string? Flag, string Variable, string? ValueName, string Default, string Help,
    Func<RunOptions, string, string, RunOptions>? Apply, string? Excludes = null)
{
    public bool IsSwitch => ValueName is null;

    /// <summary>The flag if there is one, else the variable: how messages and the table name this setting.</summary>
    public string Name => Flag ?? Variable;

    /// <summary>Help text as `--help` shows it: the meaning, the default and the variable.</summary>
    public string Description => $"{Help} Default: {Default}. Variable: {Variable}{(IsSwitch ? "=true" : "")}.";
}

/// <summary>
/// Every setting of `conformance run` and of the NUnit suite. Variables are read first, then flags override
/// them, setting by setting: a flag always wins over the variable of the same setting, and nothing else
/// mixes the two. Adding a setting is one line here (plus its property on <see cref="RunOptions"/>).
/// </summary>
public static class RunSettingTable
{
    /// <summary>The repository (or unpacked tool) folder holding fixtures/; read by <see cref="RepoPaths"/> before anything else.</summary>
    public const string RootVariable = RepoPaths.RootVariable;

    public static IReadOnlyList<RunSetting> All { get; } =
    [
        Value("--target", RunOptions.Env.Target, "URL", "start the embedded reference server", "Base URL of a server you started, e.g. http://127.0.0.1:8080.", (o, v, _) => o with { TargetUrl = v }, excludes: "--server"),
        Value("--profile", RunOptions.Env.Profile, "FILE", "the bundled server's profile; fixtures/targets/generic.json with --target", "Profile JSON naming where the target's roles live (fixtures/targets/README.md).", (o, v, _) => o with { ProfilePath = v }),
        Value("--server", RunOptions.Env.Server, "NAME", "none", $"A bundled server for the suite to start and stop: {string.Join(", ", BundledTargets.Names)}, or {BundledTargets.All} (each in turn, then a matrix report).", (o, v, n) => o with { Server = BundledTargets.Validate(v, n, allowAll: true) }, excludes: "--target"),
        Switch("--tls", RunOptions.Env.Tls, $"The bundled server ({string.Join(", ", BundledTargets.TlsCapable)}) serves HTTPS with a self-signed certificate made for this run (its PEM in the run folder, trusted by this run alone); every raw case runs over TLS. docs/tls.md.", (o, on) => o with { Tls = on }),
        Switch("--insecure", RunOptions.Env.Insecure, "With an https:// target: accept any server certificate unverified (a self-signed test server).", (o, on) => o with { Insecure = on }),
        Value("--ca", RunOptions.Env.Ca, "FILE", "the system trust store", "With an https:// target: trust the PEM certificates in FILE (the server's self-signed certificate, or its CA) instead of the system store; the host name is still checked.", (o, v, _) => o with { CaFile = v }),
        Value("--seed", RunOptions.Env.Seed, "N", "a new random seed, printed in the report", "Seed for every random value, to reproduce a run exactly.", (o, v, n) => o with { Seed = RunOptions.ParseInt(v, n, 0, int.MaxValue) }),
        Value("--parallel", RunOptions.Env.Parallel, "N", RunSettings.DefaultParallelism.ToString(CultureInfo.InvariantCulture), $"Cases run at once, each on its own connection, 1 to {RunSettings.MaxParallelism}.", (o, v, n) => o with { Parallelism = RunOptions.ParseInt(v, n, 1, RunSettings.MaxParallelism) }),
        Value("--filter", RunOptions.Env.Filter, "TERMS", "every case", "Comma-separated areas, levels (MUST, SHOULD, MAY) or case ids with *.", (o, v, _) => o with { Filter = v }),
        Switch("--strict", RunOptions.Env.Strict, "Count WARN as a failure for the exit code.", (o, on) => o with { Strict = on }),
        Switch("--require-all-must", RunOptions.Env.RequireAllMust, "Fail the gate when a MUST case was not judged: skipped (the profile lacks its role) or left out by --filter. For certification.", (o, on) => o with { RequireAllMust = on }),
        Value("--out", RunOptions.Env.Output, "DIR", "reports/runs/<profile>/<time>", "Folder for this run's reports.", (o, v, _) => o with { OutputDirectory = v }),
        Switch("--accept", RunOptions.Env.Accept, "Approve this run's snapshots as the baselines in reports/baselines/<profile>/.", (o, on) => o with { Accept = on }),
        Value("--gate", RunOptions.Env.Gate, "MODE", "conformance (CLI); baseline in the NUnit suite when baselines exist", "What the exit code gates on: conformance (any FAIL or ERROR fails) or baseline (only a change against the approved snapshots fails).", (o, v, n) => o with { Gate = RunOptions.ParseGate(v, n) }),
        .. WireBounds.All.Select(b => Value(b.Option, b.Variable, "DURATION", Durations.Format((int)b.Get(new Wire.WireOptions()).TotalMilliseconds),
            $"{Capitalised(b.Meaning)}; {Durations.Format(WireBounds.MinMs)} to {Durations.Format(WireBounds.MaxMs)}, as 500 (milliseconds), 500ms, 1.5s or 2m.",
            (o, v, n) => o with { Wire = b.Set(o.Wire, WireBounds.Parse(v, n)) })),
        Value("--shard", RunOptions.Env.Shard, "K/N", "the whole catalog", "Run only shard K of N (e.g. 2/4), split by a stable hash of the case id, for a CI matrix; join the reports with `conformance merge`.", (o, v, n) => o with { Shard = Shard.Parse(v, n) }),
        Switch("--no-screenshot", RunOptions.Env.NoScreenshot, "Do not save report.png (Chromium takes seconds).", (o, on) => o with { NoScreenshot = on }),
        Value("--chromium", RunOptions.Env.Chromium, "PATH", "/usr/lib/chromium/chromium-headless-shell, else /usr/bin/chromium", "Chromium for the browser cases and the report screenshot.", (o, v, _) => o with { ChromiumPath = v }),
        Value("--label", RunOptions.Env.Label, "TEXT", "none", "What is tested, shown in the certificate: product, build, configuration.", (o, v, _) => o with { Label = v }),
        Value("--operator", RunOptions.Env.Operator, "NAME", "none", "Who runs the suite, shown in the certificate: a person or a CI job.", (o, v, _) => o with { Operator = v }),
        Switch("--quiet", RunOptions.Env.Quiet, "Print only the verdict: where the reports are, the certification and the gate's result (errors still go to stderr).", (o, on) => o with { Quiet = on }),
        Switch("--verbose", RunOptions.Env.Verbose, "Also print every case as it finishes, and each FAIL, ERROR and WARN with its findings before the summary.", (o, on) => o with { Verbose = on }),
        new(null, RootVariable, "DIR", "the nearest folder holding Conformance.sln above the program or the current folder, else the fixtures installed with the tool", "Where fixtures/ are read and reports/ are written: a checkout of this repository or a copy of its fixtures. Without a checkout, the installed tool reads its own fixtures and writes reports/ in the current folder.", Apply: null),
    ];

    /// <summary>The setting with this flag, or null.</summary>
    public static RunSetting? ByFlag(string flag) => All.FirstOrDefault(s => s.Flag == flag);

    /// <summary>
    /// The options the variables and flags give. <paramref name="flags"/> holds each flag given (a switch as
    /// "true"); <paramref name="readVariable"/> reads a variable (empty counts as unset). Throws
    /// <see cref="UsageException"/> naming the flag or variable at fault.
    /// </summary>
    public static RunOptions Resolve(IReadOnlyDictionary<RunSetting, string> flags, Func<string, string?> readVariable)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(readVariable);
        var variables = All.Where(s => s.Apply is not null && !flags.ContainsKey(s))
            .Select(s => (Setting: s, Text: readVariable(s.Variable)))
            .Where(x => x.Text is { Length: > 0 })
            .ToDictionary(x => x.Setting, x => x.Text!);
        // A flag wins over the variable of an excluded setting too: --server nginx with CONFORMANCE_TARGET set runs nginx.
        foreach (var s in flags.Keys)
        {
            if (s.Excludes is { } other && ByFlag(other) is { } o) variables.Remove(o);
        }
        RejectBoth(flags.Keys, s => s.Name);
        RejectBoth(variables.Keys, s => s.Variable);

        var options = new RunOptions();
        foreach (var (setting, text) in variables) options = Parse(setting, options, text, setting.Variable);
        foreach (var (setting, text) in flags) options = Parse(setting, options, text, setting.Name);
        return options;
    }

    /// <summary>The options from variables alone: what the NUnit suite reads (from the environment or NUnit parameters).</summary>
    public static RunOptions FromVariables(Func<string, string?>? readVariable = null)
        => Resolve(new Dictionary<RunSetting, string>(), readVariable ?? Environment.GetEnvironmentVariable);

    private static RunOptions Parse(RunSetting setting, RunOptions options, string text, string source)
        => setting.IsSwitch ? setting.Apply!(options, RunOptions.ParseBool(text, source).ToString(), source) : setting.Apply!(options, text, source);

    private static void RejectBoth(IEnumerable<RunSetting> given, Func<RunSetting, string> name)
    {
        var set = given.ToList();
        foreach (var s in set)
        {
            if (s.Excludes is { } other && set.FirstOrDefault(x => x.Flag == other) is { } clash && string.CompareOrdinal(s.Name, clash.Name) < 0)
                throw new UsageException($"{name(s)} and {name(clash)} both name the server under test; give one of them");
        }
    }

    /// <summary>docs/settings.md, generated: a test fails when the committed file differs.</summary>
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Settings\n\n");
        sb.Append("<!-- Generated from src/Conformance.Run/Engine/RunSettingTable.cs by `conformance settings`; a test fails when this file is stale. -->\n\n");
        sb.Append("Every setting of `conformance run` (and `./run-suite.sh`) and of the NUnit suite (`dotnet test tests/Conformance.Suite`).\n");
        sb.Append("Each can be given as a flag or as an environment variable (the NUnit suite also takes NUnit parameters of the same names).\n");
        sb.Append("Variables are read first and a flag always wins over its variable. A switch's variable takes `true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off`).\n");
        sb.Append("Durations take `500` (milliseconds), `500ms`, `5s`, `1.5s` or `2m`.\n\n");
        sb.Append("| flag | variable | default | meaning |\n|---|---|---|---|\n");
        foreach (var s in All)
        {
            var flag = s.Flag is null ? "—" : s.IsSwitch ? $"`{s.Flag}`" : $"`{s.Flag} {s.ValueName}`";
            var variable = s.IsSwitch ? $"`{s.Variable}=true`" : $"`{s.Variable}`";
            sb.Append(CultureInfo.InvariantCulture, $"| {flag} | {variable} | {Cell(s.IsSwitch ? "off" : s.Default)} | {Cell(s.Help)} |\n");
        }
        sb.Append("\n`--target` and `--server` both name the server under test: give one. A flag of either cancels the other's variable.\n");
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static RunSetting Value(string flag, string variable, string valueName, string @default, string help, Func<RunOptions, string, string, RunOptions> apply, string? excludes = null)
        => new(flag, variable, valueName, @default, help, apply, excludes);

    private static RunSetting Switch(string flag, string variable, string help, Func<RunOptions, bool, RunOptions> apply)
        => new(flag, variable, null, "off", help, (o, v, _) => apply(o, bool.Parse(v)));
}
