using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>Everything that shapes a run besides the target and the cases.</summary>
public sealed record RunSettings
{
    /// <summary>Every random value in the run derives from this seed, so a run can be reproduced exactly.</summary>
    public int Seed { get; init; }

    /// <summary>How many cases run at once, each on its own connection(s). Bounded so the target is never flooded.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    public WireOptions Wire { get; init; } = new();

    /// <summary>When true, WARN counts as a failure for the gate.</summary>
    public bool Strict { get; init; }

    /// <summary>When true, a MUST case not judged (skipped, or left out by the filter) fails the gate: certification labs need every MUST judged.</summary>
    public bool RequireAllMust { get; init; }

    public const int DefaultParallelism = 8;
    public const int MaxParallelism = 64;

    /// <summary>A fresh seed when none is given: printed with the report so the run can be repeated.</summary>
    public static int NewSeed() => Random.Shared.Next(1, int.MaxValue);
}
