namespace Conformance.Harness.Servers;

/// <summary>nginx from Debian's nginx-light / nginx package, with fixtures/servers/nginx/.</summary>
public sealed class NginxServer(string? binary = null, string? fixtureDirectory = null) : BundledServer(binary, fixtureDirectory)
{
    public override string Name => "nginx";
    public override string InstallHint => "apt-get install nginx-light";
    protected override string ServerHeaderPrefix => "nginx";
    protected override string ProgramName => "nginx";
    protected override string TemplateFile => "nginx.conf.template";
    protected override string ConfigFile => "nginx.conf";
    public override bool SupportsTls => true;
    protected override string TlsTemplateFile => "tls.conf.template";
    protected override string PlainListen(int port) => $"listen 127.0.0.1:{port};";

    // SIGQUIT is nginx's graceful shutdown: workers finish their requests, logs are flushed.
    protected override string StopSignal => PosixSignal.Quit;

    // -e: nginx opens its compiled-in error log before it reads the config; point it into the run folder too.
    protected override IEnumerable<string> StartArguments(string runDirectory, string configPath) =>
        ["-p", runDirectory + "/", "-e", Path.Combine(runDirectory, "logs", "error.log"), "-c", configPath];

    // "nginx version: nginx/1.22.1"
    protected override string ParseIdentity(string versionOutput)
    {
        var line = versionOutput.Split('\n').FirstOrDefault(l => l.Contains("nginx/", StringComparison.Ordinal))?.Trim();
        return line is null ? "nginx" : line[line.IndexOf("nginx/", StringComparison.Ordinal)..];
    }
}
