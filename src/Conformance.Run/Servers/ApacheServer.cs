namespace Conformance.Harness.Servers;

/// <summary>Apache httpd from Debian's apache2 package, with fixtures/servers/apache/.</summary>
public sealed class ApacheServer(string? binary = null, string? fixtureDirectory = null) : BundledServer(binary, fixtureDirectory)
{
    public override string Name => "apache";
    public override string InstallHint => "apt-get install apache2";
    protected override string ServerHeaderPrefix => "Apache";
    protected override string ProgramName => "apache2";
    protected override string TemplateFile => "apache2.conf.template";
    protected override string ConfigFile => "apache2.conf";

    // SIGTERM is httpd's "stop": children are told to exit and reaped before the parent exits.
    protected override string StopSignal => PosixSignal.Term;

    protected override IEnumerable<string> StartArguments(string runDirectory, string configPath) =>
        ["-d", runDirectory, "-f", configPath, "-DFOREGROUND"];

    // "Server version: Apache/2.4.71 (Debian)"
    protected override string ParseIdentity(string versionOutput)
    {
        var line = versionOutput.Split('\n').FirstOrDefault(l => l.StartsWith("Server version:", StringComparison.Ordinal));
        return line is null ? "Apache httpd" : line["Server version:".Length..].Trim();
    }

    // httpd refuses to serve as root, so when the suite runs as root the children drop to nobody/nogroup;
    // an unprivileged httpd cannot switch users and must not be asked to.
    protected override IReadOnlyDictionary<string, string> ExtraTokens() => new Dictionary<string, string>
    {
        ["USER"] = Environment.UserName == "root" ? "User nobody\nGroup nogroup" : "# User/Group: unprivileged, left as is",
    };
}
