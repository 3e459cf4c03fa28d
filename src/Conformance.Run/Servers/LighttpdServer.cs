namespace Conformance.Harness.Servers;

/// <summary>lighttpd from Debian's lighttpd package, with fixtures/servers/lighttpd/.</summary>
public sealed class LighttpdServer(string? binary = null, string? fixtureDirectory = null) : BundledServer(binary, fixtureDirectory)
{
    public override string Name => "lighttpd";
    public override string InstallHint => "apt-get install lighttpd";
    protected override string ServerHeaderPrefix => "lighttpd";
    protected override string ProgramName => "lighttpd";
    protected override string TemplateFile => "lighttpd.conf.template";
    protected override string ConfigFile => "lighttpd.conf";

    // SIGTERM: lighttpd stops accepting, closes its connections and exits (SIGINT would wait for idle).
    protected override string StopSignal => PosixSignal.Term;

    // -D: stay in the foreground, so the pid the suite holds is the server's own and no pid file is needed.
    protected override IEnumerable<string> StartArguments(string runDirectory, string configPath) => ["-D", "-f", configPath];

    // "lighttpd/1.4.69 (ssl) - a light and fast webserver"
    protected override string ParseIdentity(string versionOutput)
    {
        var line = versionOutput.Split('\n').FirstOrDefault(l => l.StartsWith("lighttpd/", StringComparison.Ordinal));
        return line is null ? "lighttpd" : line.Split(' ')[0].Trim();
    }
}
