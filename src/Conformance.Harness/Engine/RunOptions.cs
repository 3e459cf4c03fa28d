using System.Globalization;

namespace Conformance.Harness.Engine;

/// <summary>
/// What the user asked for, from arguments or, where an argument is absent, from CONFORMANCE_* environment
/// variables. Validation errors name the argument or variable at fault.
/// </summary>
public sealed record RunOptions
{
    public string? TargetUrl { get; init; }
    public string? ProfilePath { get; init; }
    public int? Seed { get; init; }
    public int Parallelism { get; init; } = RunSettings.DefaultParallelism;
    public string? Filter { get; init; }
    public bool Strict { get; init; }
    public string? OutputDirectory { get; init; }

    /// <summary>Bounds on every wire operation (--read-timeout, --close-timeout, ...; <see cref="WireBounds"/>).</summary>
    public Wire.WireOptions Wire { get; init; } = new();

    /// <summary>Run only this slice of the selected cases (--shard k/n), for a CI matrix.</summary>
    public Shard? Shard { get; init; }

    /// <summary>A bundled server for the suite to start: reference, nginx, apache (or all, CLI only).</summary>
    public string? Server { get; init; }

    /// <summary>The Chromium executable for the browser cases; null means the default, /usr/bin/chromium.</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>What the exit code gates on; null lets each entry point choose its default.</summary>
    public GateMode? Gate { get; init; }

    /// <summary>What was tested, for the certificate (--label): product, build, configuration.</summary>
    public string? Label { get; init; }

    /// <summary>Who ran the suite, for the certificate (--operator).</summary>
    public string? Operator { get; init; }

    public static class Env
    {
        public const string Target = "CONFORMANCE_TARGET";
        public const string Profile = "CONFORMANCE_PROFILE";
        public const string Seed = "CONFORMANCE_SEED";
        public const string Parallel = "CONFORMANCE_PARALLEL";
        public const string Filter = "CONFORMANCE_FILTER";
        public const string Strict = "CONFORMANCE_STRICT";
        public const string Output = "CONFORMANCE_OUT";
        public const string Server = "CONFORMANCE_SERVER";
        public const string Accept = "CONFORMANCE_ACCEPT";
        public const string Shard = "CONFORMANCE_SHARD";
        public const string Chromium = "CONFORMANCE_CHROMIUM";
        public const string Gate = "CONFORMANCE_GATE";
        public const string Label = "CONFORMANCE_LABEL";
        public const string Operator = "CONFORMANCE_OPERATOR";
    }

    /// <summary>Options from the environment alone (what the NUnit suite uses).</summary>
    public static RunOptions FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => read(name) is { Length: > 0 } v ? v : null;
        return new RunOptions
        {
            TargetUrl = Get(Env.Target),
            ProfilePath = Get(Env.Profile),
            Seed = Get(Env.Seed) is { } s ? ParseInt(s, Env.Seed, 0, int.MaxValue) : null,
            Parallelism = Get(Env.Parallel) is { } p ? ParseInt(p, Env.Parallel, 1, RunSettings.MaxParallelism) : RunSettings.DefaultParallelism,
            Filter = Get(Env.Filter),
            Strict = Get(Env.Strict) is { } st && ParseBool(st, Env.Strict),
            OutputDirectory = Get(Env.Output),
            Wire = WireBounds.Apply(new Wire.WireOptions(), b => Get(b.Variable) is { } v ? (v, b.Variable) : null),
            Server = Get(Env.Server),
            ChromiumPath = Get(Env.Chromium),
            Gate = Get(Env.Gate) is { } g ? ParseGate(g, Env.Gate) : null,
            Label = Get(Env.Label),
            Operator = Get(Env.Operator),
        };
    }

    public static int ParseInt(string text, string name, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"{name}: expected a whole number from {min} to {max}, got \"{text}\"");
        return v;
    }

    public static GateMode ParseGate(string text, string name) => text switch
    {
        "conformance" => GateMode.Conformance,
        "baseline" => GateMode.Baseline,
        _ => throw new UsageException($"{name}: expected \"conformance\" or \"baseline\", got \"{text}\""),
    };

    public static bool ParseBool(string text, string name) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new UsageException($"{name}: expected true or false, got \"{text}\""),
    };
}

/// <summary>A bad argument, variable, profile or fixture: exit code 2, with a message that says what to fix.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// What a run's exit code gates on. <see cref="Conformance"/>: any FAIL or ERROR (and WARN under --strict)
/// fails, for implementers gating on the RFC. <see cref="Baseline"/>: only a change against the approved
/// snapshots (verdicts included) fails, for a vendor or maintainer who has reviewed and approved a server's
/// known deviations and wants to catch regressions.
/// </summary>
public enum GateMode
{
    Conformance,
    Baseline,
}
