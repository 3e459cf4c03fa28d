namespace Conformance.Harness.Servers;

/// <summary>h2o from Debian's h2o package (built with mruby), with fixtures/servers/h2o/.</summary>
public sealed class H2oServer(string? binary = null, string? fixtureDirectory = null) : BundledServer(binary, fixtureDirectory)
{
    public override string Name => "h2o";
    public override string InstallHint => "apt-get install h2o";
    protected override string ServerHeaderPrefix => "h2o";
    protected override string ProgramName => "h2o";
    protected override string TemplateFile => "h2o.conf.template";
    protected override string ConfigFile => "h2o.conf";

    // SIGTERM: h2o's graceful stop.
    protected override string StopSignal => PosixSignal.Term;

    // Without -m, h2o runs in the foreground as a single process tree the suite's pid covers.
    protected override IEnumerable<string> StartArguments(string runDirectory, string configPath) => ["-c", configPath];

    // "h2o version 2.2.5"
    protected override string ParseIdentity(string versionOutput)
    {
        var line = versionOutput.Split('\n').FirstOrDefault(l => l.StartsWith("h2o version ", StringComparison.Ordinal));
        return line is null ? "h2o" : "h2o/" + line["h2o version ".Length..].Trim();
    }
}
