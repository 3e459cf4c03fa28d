using System.Globalization;

namespace Conformance.Harness.Engine;

/// <summary>
/// What the user asked for, from flags or CONFORMANCE_* variables (<see cref="RunSettingTable"/> reads both).
/// Validation errors name the flag or variable at fault.
/// </summary>
public sealed record RunOptions
{
    public string? TargetUrl { get; init; }
    public string? ProfilePath { get; init; }
    public int? Seed { get; init; }
    public int Parallelism { get; init; } = RunSettings.DefaultParallelism;
    public string? Filter { get; init; }
    public bool Strict { get; init; }

    /// <summary>A MUST case not judged (SKIP, or filtered out) fails the gate (--require-all-must).</summary>
    public bool RequireAllMust { get; init; }
    public string? OutputDirectory { get; init; }

    /// <summary>Bounds on every wire operation (--read-timeout, --close-timeout, ...; <see cref="WireBounds"/>).</summary>
    public Wire.WireOptions Wire { get; init; } = new();

    /// <summary>Run only this slice of the selected cases (--shard k/n), for a CI matrix.</summary>
    public Shard? Shard { get; init; }

    /// <summary>A bundled server for the suite to start: one of BundledTargets.Names (or all, CLI only).</summary>
    public string? Server { get; init; }

    /// <summary>The Chromium executable for the browser cases; null means the default (HtmlScreenshot.ChromiumPath: the headless shell, else /usr/bin/chromium).</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>What the exit code gates on; null lets each entry point choose its default.</summary>
    public GateMode? Gate { get; init; }

    /// <summary>Approve this run's snapshots as the new baselines.</summary>
    public bool Accept { get; init; }

    /// <summary>Skip report.png.</summary>
    public bool NoScreenshot { get; init; }

    /// <summary>The named checks fixtures may use. Not a user setting: tests swap in a check that throws.</summary>
    internal NamedCheckRegistry Checks { get; init; } = NamedCheckRegistry.Default;

    /// <summary>What was tested, for the certificate (--label): product, build, configuration.</summary>
    public string? Label { get; init; }

    /// <summary>Who ran the suite, for the certificate (--operator).</summary>
    public string? Operator { get; init; }

    /// <summary>Accept any certificate of an https target (--insecure).</summary>
    public bool Insecure { get; init; }

    /// <summary>A PEM file whose certificates an https target's certificate must chain to (--ca).</summary>
    public string? CaFile { get; init; }

    /// <summary>The bundled server serves HTTPS with a certificate made for this run (--tls).</summary>
    public bool Tls { get; init; }

    /// <summary>Console detail only (--quiet): never what is judged or written to the reports.</summary>
    public bool Quiet { get; init; }

    /// <summary>Console detail only (--verbose): every case as it finishes, and each failing case's findings.</summary>
    public bool Verbose { get; init; }

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
        public const string NoScreenshot = "CONFORMANCE_NO_SCREENSHOT";
        public const string RequireAllMust = "CONFORMANCE_REQUIRE_ALL_MUST";
        public const string Label = "CONFORMANCE_LABEL";
        public const string Operator = "CONFORMANCE_OPERATOR";
        public const string Quiet = "CONFORMANCE_QUIET";
        public const string Verbose = "CONFORMANCE_VERBOSE";
        public const string Insecure = "CONFORMANCE_INSECURE";
        public const string Ca = "CONFORMANCE_CA";
        public const string Tls = "CONFORMANCE_TLS";
    }

    /// <summary>Options from variables alone (what the NUnit suite uses); see <see cref="RunSettingTable"/>.</summary>
    public static RunOptions FromEnvironment(Func<string, string?>? read = null) => RunSettingTable.FromVariables(read);

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
        _ => throw new UsageException($"{name}: expected \"conformance\" or \"baseline\", got \"{text}\"{Model.NearestName.Hint(text, ["conformance", "baseline"])}"),
    };

    public static bool ParseBool(string text, string name) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new UsageException($"{name}: expected true or false, got \"{text}\""),
    };
}

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
