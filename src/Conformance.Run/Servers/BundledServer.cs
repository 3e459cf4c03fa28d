using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Servers;

/// <summary>
/// A real server from a Debian package that the suite starts itself, with its own config and profile: it renders
/// fixtures/servers/&lt;name&gt;/ into a run folder, starts the program in the foreground on a free loopback
/// port, waits (bounded) until that very server answers, and hands back a <see cref="RunningServer"/> that
/// stops it by its pid. Every file the server writes (config, logs, pid, temp) stays in the run folder.
/// </summary>
public abstract class BundledServer
{
    /// <summary>The bundled real servers, in matrix order after the reference target.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nginx", "apache", "lighttpd", "h2o", "node"];

    /// <summary>Static files get this mtime, so Last-Modified and mtime-based ETags are the same every run.</summary>
    public static readonly DateTime FixedMtimeUtc = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private const int StartAttempts = 3;
    private readonly string? binaryOverride;
    private readonly string? fixtureOverride;

    protected BundledServer(string? binary, string? fixtureDirectory)
    {
        binaryOverride = binary;
        fixtureOverride = fixtureDirectory;
    }

    /// <summary>The short name: profile name, folder under fixtures/servers/, --server value.</summary>
    public abstract string Name { get; }

    /// <summary>How the server's Server header starts, to tell our process's answers from another's.</summary>
    protected abstract string ServerHeaderPrefix { get; }

    /// <summary>The program's file name, looked up on PATH and in the sbin folders.</summary>
    protected abstract string ProgramName { get; }

    /// <summary>The command that installs the program, for the "not installed" message.</summary>
    public abstract string InstallHint { get; }

    protected abstract string TemplateFile { get; }

    protected abstract string ConfigFile { get; }

    /// <summary>The signal that asks the server to shut down cleanly.</summary>
    protected abstract string StopSignal { get; }

    protected abstract IEnumerable<string> StartArguments(string runDirectory, string configPath);

    /// <summary>The server's own name and version from its -v output, e.g. "nginx/1.22.1".</summary>
    protected abstract string ParseIdentity(string versionOutput);

    /// <summary>
    /// True when this server's template can serve TLS (--tls): the LISTEN token then carries its TLS directives,
    /// rendered from <see cref="TlsTemplateFile"/>.
    /// </summary>
    public virtual bool SupportsTls => false;

    /// <summary>The fixture file holding this server's TLS directives (tokens CERT, KEY, PORT), when it has one.</summary>
    protected virtual string? TlsTemplateFile => null;

    /// <summary>The LISTEN token's text without TLS: the plain listen directive.</summary>
    protected virtual string PlainListen(int port) => "";

    /// <summary>Tokens beyond RUN, SITE, PORT, SECRET and FIXTURE that this server's template uses.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraTokens() => new Dictionary<string, string>();

    /// <summary>How long startup may take before it counts as a failure.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a clean shutdown may take before the process tree is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static BundledServer? ByName(string name) => name switch
    {
        "nginx" => new NginxServer(),
        "apache" => new ApacheServer(),
        "lighttpd" => new LighttpdServer(),
        "h2o" => new H2oServer(),
        "node" => new NodeServer(),
        _ => null,
    };

    public string FixtureDirectory => fixtureOverride ?? Path.Combine(RepoPaths.Root(), "fixtures", "servers", Name);

    public string ProfilePath => Path.Combine(RepoPaths.Targets(RepoPaths.Root()), Name + ".json");

    /// <summary>The program's full path; throws <see cref="ServerNotInstalledException"/> with the install command.</summary>
    public string ResolveBinary()
    {
        if (binaryOverride is not null)
        {
            if (File.Exists(binaryOverride)) return binaryOverride;
            throw NotInstalled(binaryOverride);
        }
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]);
        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir, ProgramName);
            if (File.Exists(candidate)) return candidate;
        }
        throw NotInstalled(ProgramName);
    }

    private ServerNotInstalledException NotInstalled(string looked) => new(
        $"{Name} is not installed: cannot find {looked} (looked on PATH and in /usr/sbin). Install it with `{InstallHint}`, or test a server you started yourself with --target URL --profile FILE.");

    /// <summary>The server's identity from its version switch, without starting it.</summary>
    public async Task<string> IdentityAsync(CancellationToken ct)
    {
        var binary = ResolveBinary();
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-v");
        using var process = Process.Start(psi) ?? throw new ServerLaunchException($"{binary} -v could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new ServerLaunchException($"{binary} -v did not finish within 10 s");
        }
        return ParseIdentity((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }

    /// <summary>
    /// Lays out <paramref name="runDirectory"/> and starts the server. Throws <see cref="ServerNotInstalledException"/>
    /// when the program is missing and <see cref="ServerLaunchException"/> (with the log tail) when it exits or never
    /// answers during startup.
    /// </summary>
    public async Task<RunningServer> StartAsync(string runDirectory, CancellationToken ct, RunCertificate? tls = null)
    {
        if (tls is not null && !SupportsTls) throw new ServerLaunchException($"{Name} has no TLS configuration in the suite; --tls works with {string.Join(", ", BundledTargets.TlsCapable)}");
        var binary = ResolveBinary();
        var identity = await IdentityAsync(ct).ConfigureAwait(false);
        runDirectory = Path.GetFullPath(runDirectory);
        var site = Layout(runDirectory);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var template = File.ReadAllText(Path.Combine(FixtureDirectory, TemplateFile));
        var configPath = Path.Combine(runDirectory, ConfigFile);

        string? lastFailure = null;
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var port = FreePort.Next();
            File.WriteAllText(configPath, Render(template, runDirectory, site, port, secret, tls));
            var process = ServerProcess.Start(binary, StartArguments(runDirectory, configPath), runDirectory);
            var running = new RunningServer(this, process, port, identity, runDirectory, StopSignal, StopTimeout, tls);
            var failure = await WaitUntilAnsweringAsync(process, port, tls is not null, ct).ConfigureAwait(false);
            if (failure is null) return running;
            await running.DisposeAsync().ConfigureAwait(false);
            var tail = ServerLogs.Tail(runDirectory);
            lastFailure = $"{Name} ({binary}, pid {process.Id}) {failure}.{Environment.NewLine}{tail}";
            // Another process may have taken the port between our probe and the server's bind: try a new one.
            if (!tail.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)) break;
        }
        throw new ServerLaunchException(lastFailure ?? $"{Name} did not start");
    }

    /// <summary>Null once our server answers on the port; otherwise why it never will.</summary>
    private async Task<string?> WaitUntilAnsweringAsync(ServerProcess process, int port, bool tls, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited) return $"exited with code {process.ExitCode} during startup";
            if (await AnswersAsync(port, tls, ct).ConfigureAwait(false)) return process.HasExited ? $"exited with code {process.ExitCode} during startup" : null;
            // The servers announce nothing on a channel we read when they start listening, so readiness can only be probed: this
            // is the gap between two probes (a connect to a port not yet bound fails at once, and a tight loop
            // would starve the server of the CPU it needs to start). The whole wait is bounded by StartTimeout,
            // and the process's exit event ends it at once.
            await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromMilliseconds(50), ct)).ConfigureAwait(false);
        }
        return $"did not answer on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s";
    }

    /// <summary>True when a HEAD / on the port is answered with this server's Server header.</summary>
    private async Task<bool> AnswersAsync(int port, bool tls, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, bound.Token).ConfigureAwait(false);
            Stream stream = client.GetStream();
            if (tls)
            {
                // Readiness only: the certificate is the one this run made; the cases judge it through --ca's path.
                var secure = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await secure.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "localhost" }, bound.Token).ConfigureAwait(false);
                stream = secure;
            }
            await stream.WriteAsync("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray(), bound.Token).ConfigureAwait(false);
            var buffer = new byte[8192];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), bound.Token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8) >= 0) break;
            }
            var head = Encoding.Latin1.GetString(buffer, 0, total);
            return head.Contains("\nServer: " + ServerHeaderPrefix, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Creates the run folder: site copy with fixed mtimes, logs/, temp/, runtime/. Returns the site path.</summary>
    private string Layout(string runDirectory)
    {
        foreach (var sub in new[] { "logs", "temp", "runtime" }) Directory.CreateDirectory(Path.Combine(runDirectory, sub));
        if (!OperatingSystem.IsWindows()) EnsureSearchable(runDirectory);
        var source = Path.Combine(FixtureDirectory, "site");
        var site = Path.Combine(runDirectory, "site");
        CopyTree(source, site);
        return site;
    }

    /// <summary>
    /// Started as root, nginx workers and httpd children drop to "nobody", which must be able to reach the site
    /// and the CGI script. The run folder is ours to open up; a closed folder above it is reported, not changed.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void EnsureSearchable(string runDirectory)
    {
        const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(runDirectory, open);
        if (Environment.UserName != "root") return;
        for (var dir = Directory.GetParent(runDirectory); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
                throw new ServerLaunchException($"{Name} cannot start in {runDirectory}: its parent {dir.FullName} is not searchable by others, and as root {Name} serves files as the unprivileged user nobody. Choose another --out folder, or chmod o+x {dir.FullName}.");
        }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var to = Path.Combine(destination, Path.GetFileName(file));
            File.Copy(file, to, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                // The server may drop to an unprivileged user (nobody) that must still read the site and run the CGI.
                var mode = File.GetUnixFileMode(file) | UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
                if ((mode & UnixFileMode.UserExecute) != 0) mode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                File.SetUnixFileMode(to, mode);
            }
            File.SetLastWriteTimeUtc(to, FixedMtimeUtc);
        }
        foreach (var dir in Directory.EnumerateDirectories(source)) CopyTree(dir, Path.Combine(destination, Path.GetFileName(dir)));
        Directory.SetLastWriteTimeUtc(destination, FixedMtimeUtc);
    }

    private string Render(string template, string runDirectory, string site, int port, string secret, RunCertificate? tls)
    {
        var tokens = new Dictionary<string, string>(ExtraTokens())
        {
            ["LISTEN"] = tls is null ? PlainListen(port) : RenderTls(port, tls),
            ["RUN"] = runDirectory,
            ["SITE"] = site,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["SECRET"] = secret,
            // Code a server loads at startup (nginx's echo.js) stays in the fixture folder, outside the served site.
            ["FIXTURE"] = Path.GetFullPath(FixtureDirectory),
        };
        var text = template;
        // LISTEN first: its text carries tokens of its own (PORT).
        text = text.Replace("@LISTEN@", tokens["LISTEN"], StringComparison.Ordinal);
        foreach (var (name, value) in tokens) text = text.Replace("@" + name + "@", value, StringComparison.Ordinal);
        var left = System.Text.RegularExpressions.Regex.Match(text, "@[A-Z]+@");
        if (left.Success) throw new ServerLaunchException($"{Path.Combine(FixtureDirectory, TemplateFile)}: unknown token {left.Value}");
        return text;
    }

    /// <summary>The TLS directives of <see cref="TlsTemplateFile"/>, with the run certificate's files.</summary>
    private string RenderTls(int port, RunCertificate tls)
    {
        var file = Path.Combine(FixtureDirectory, TlsTemplateFile!);
        return File.ReadAllText(file).Trim()
            .Replace("@CERT@", tls.CertificateFile, StringComparison.Ordinal)
            .Replace("@KEY@", tls.KeyFile, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
