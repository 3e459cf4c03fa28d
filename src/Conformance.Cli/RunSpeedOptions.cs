using System.CommandLine;
using Conformance.Harness.Engine;

namespace Conformance.Cli;

/// <summary>
/// The run options about speed and scale: the wire bounds (--read-timeout, --close-timeout, ...),
/// --shard and --no-screenshot. Each falls back to its CONFORMANCE_* variable; bad values are one plain message (exit 2).
/// </summary>
internal sealed class RunSpeedOptions
{
    private readonly List<(WireBounds.Bound Bound, Option<string?> Option)> bounds = [];
    private readonly Option<string?> shard = new("--shard")
    {
        Description = $"Run only shard k of n (e.g. 2/4), split by a stable hash of the case id, for a CI matrix; join the reports with `conformance merge` (or {RunOptions.Env.Shard}).",
    };

    private readonly Option<bool> noScreenshot = new("--no-screenshot")
    {
        Description = $"Do not save report.png (Chromium takes seconds; the bench and fast CI loops skip it; or {NoScreenshotVariable}=true).",
    };

    public const string NoScreenshotVariable = "CONFORMANCE_NO_SCREENSHOT";

    /// <summary>True when report.png should not be taken: --no-screenshot or CONFORMANCE_NO_SCREENSHOT=true.</summary>
    public bool SkipScreenshot(ParseResult parse)
        => parse.GetValue(noScreenshot) || (Environment.GetEnvironmentVariable(NoScreenshotVariable) is { Length: > 0 } v && RunOptions.ParseBool(v, NoScreenshotVariable));

    public RunSpeedOptions()
    {
        foreach (var b in WireBounds.All)
        {
            var ms = b.Get(new Harness.Wire.WireOptions()).TotalMilliseconds;
            bounds.Add((b, new Option<string?>(b.Option) { Description = $"Milliseconds: {b.Meaning} (default {ms:0}; or {b.Variable})." }));
        }
    }

    public void AddTo(Command command)
    {
        foreach (var (_, option) in bounds) command.Options.Add(option);
        command.Options.Add(shard);
        command.Options.Add(noScreenshot);
    }

    /// <summary>Arguments win over variables (already in <paramref name="options"/>). Throws <see cref="UsageException"/>.</summary>
    public RunOptions Apply(ParseResult parse, RunOptions options)
    {
        var wire = WireBounds.Apply(options.Wire, b =>
        {
            var option = bounds.First(x => x.Bound == b).Option;
            return parse.GetValue(option) is { } v ? (v, b.Option) : null;
        });
        var shardText = parse.GetValue(shard) is { } s ? (s, "--shard")
            : Environment.GetEnvironmentVariable(RunOptions.Env.Shard) is { Length: > 0 } e ? (e, RunOptions.Env.Shard) : ((string, string)?)null;
        return options with
        {
            Wire = wire,
            Shard = shardText is { } t ? Shard.Parse(t.Item1, t.Item2) : null,
        };
    }
}
