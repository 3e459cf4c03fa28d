namespace Conformance.Harness.Servers;

/// <summary>
/// Node's own http module, with the role script fixtures/servers/node/server.js: node (the machine's, or
/// Debian's nodejs) runs the script, which reads the rendered server.json (port, site, secret, log).
/// </summary>
public sealed class NodeServer(string? binary = null, string? fixtureDirectory = null) : BundledServer(binary, fixtureDirectory)
{
    public override string Name => "node";
    public override string InstallHint => "apt-get install nodejs";
    protected override string ServerHeaderPrefix => "node/";
    protected override string ProgramName => "node";
    protected override string TemplateFile => "server.json.template";
    protected override string ConfigFile => "server.json";

    // Node has no SIGTERM handler of its own in the script: the default action ends the process at once.
    protected override string StopSignal => PosixSignal.Term;

    // The script stays in the fixture folder (it is code, not site content); only its settings are rendered.
    protected override IEnumerable<string> StartArguments(string runDirectory, string configPath) =>
        [Path.Combine(FixtureDirectory, "server.js"), configPath];

    // "v20.20.2"
    protected override string ParseIdentity(string versionOutput)
    {
        var version = versionOutput.Trim();
        return version.StartsWith('v') ? "node/" + version[1..] : "node";
    }
}
