using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Servers;

namespace Conformance.Harness.Tests.Servers;

/// <summary>The bundled real servers start on a free port, answer every role, stop by pid, and fail loudly.</summary>
[TestFixture]
[NonParallelizable]
public sealed class BundledServerTests
{
    private string runDir = "";

    [SetUp]
    public void CreateRunDirectory()
    {
        runDir = Directory.CreateTempSubdirectory("conformance-server-").FullName;
        // Temp subdirectories are 0700; as root the servers' workers (nobody) must reach the site inside.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(runDir, (UnixFileMode)0b111_101_101);
    }

    [TearDown]
    public void DeleteRunDirectory()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Passed) Directory.Delete(runDir, recursive: true);
        else TestContext.Out.WriteLine($"server folder kept: {runDir}");
    }

    private static BundledServer Installed(BundledServer server)
    {
        try
        {
            server.ResolveBinary();
        }
        catch (ServerNotInstalledException e)
        {
            Assert.Ignore(e.Message);
        }
        return server;
    }

    [TestCase("nginx", "nginx/")]
    [TestCase("apache", "Apache/")]
    [TestCase("lighttpd", "lighttpd/")]
    [TestCase("h2o", "h2o/")]
    [TestCase("node", "node/")]
    public async Task Starts_on_a_free_loopback_port_answers_and_stops(string name, string identityPrefix)
    {
        var server = Installed(BundledServer.ByName(name)!);
        int pid;
        await using (var running = await server.StartAsync(runDir, CancellationToken.None))
        {
            pid = running.ProcessId;
            Assert.That(running.BaseUri.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(running.Identity, Does.StartWith(identityPrefix));
            Assert.That(running.ProfilePath, Does.EndWith(name + ".json").And.Exist);
            var home = await GetAsync(running.Port, "/");
            Assert.That(home, Does.StartWith("HTTP/1.1 200 "));
            // The launcher fixed the mtime, so Last-Modified is the same every run (h2o writes field names in
            // lower case, which HTTP allows: names are case-insensitive).
            var validated = await GetAsync(running.Port, "/static/validated.txt");
            Assert.That(validated, Does.Contain("\r\nLast-Modified: Mon, 01 Jan 2024 00:00:00 GMT\r\n").IgnoreCase.And.Contain("\r\nETag: \"").IgnoreCase);
            Assert.That(await GetAsync(running.Port, "/old-location"), Does.StartWith("HTTP/1.1 301 ").And.Match("(?i)\r\nLocation: (http://127\\.0\\.0\\.1:\\d+)?/new-location\r\n"));
            Assert.That(await GetAsync(running.Port, "/missing"), Does.StartWith("HTTP/1.1 404 "));
            Assert.That(running.ExitReport, Is.Null);
        }
        Assert.That(ProcessIsGone(pid), Is.True, $"{name} (pid {pid}) still runs after DisposeAsync");
        Assert.That(File.ReadAllText(Path.Combine(runDir, "logs", "access.log")), Does.Contain("/static/validated.txt"), "the access log is kept in the run folder");
    }

    // lighttpd and h2o set one cookie (their header directives cannot repeat a field name); lighttpd can only
    // refuse with 403 (401 needs an authentication backend), which its profile's notSeenStatus says.
    [TestCase("nginx", 2, 401)]
    [TestCase("apache", 2, 401)]
    [TestCase("lighttpd", 1, 403)]
    [TestCase("h2o", 1, 401)]
    [TestCase("node", 2, 401)]
    public async Task The_cookie_checker_recognises_only_the_sid_the_setter_issued(string name, int cookieLines, int notSeenStatus)
    {
        var server = Installed(BundledServer.ByName(name)!);
        await using var running = await server.StartAsync(runDir, CancellationToken.None);
        var set = await GetAsync(running.Port, "/cookies/set");
        var setCookies = set.Split("\r\n").Where(l => l.StartsWith("Set-Cookie: ", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.That(setCookies, Has.Count.EqualTo(cookieLines), set);
        var sid = setCookies[0]["Set-Cookie: ".Length..].Split(';')[0];
        Assert.That(sid, Does.Match("^sid=[0-9a-f]{32}$"));
        if (cookieLines == 2) Assert.That(setCookies[1], Does.Contain("Path=/").And.Contain("Max-Age=3600").And.Contain("Expires=").And.Contain("SameSite=Lax"));

        var refused = $"HTTP/1.1 {notSeenStatus} ";
        Assert.That(await GetAsync(running.Port, "/cookies/check", $"Cookie: theme=light; {sid}\r\n"), Does.StartWith("HTTP/1.1 200 ").And.Contain("recognised sid"));
        var tampered = sid[..^1] + (sid[^1] == '0' ? '1' : '0');
        Assert.That(await GetAsync(running.Port, "/cookies/check", $"Cookie: {tampered}\r\n"), Does.StartWith(refused));
        Assert.That(await GetAsync(running.Port, "/cookies/check", $"Cookie: {sid}x\r\n"), Does.StartWith(refused));
        Assert.That(await GetAsync(running.Port, "/cookies/check"), Does.StartWith(refused));
    }

    [TestCase("apache")]
    [TestCase("nginx")]
    [TestCase("lighttpd")]
    [TestCase("h2o")]
    [TestCase("node")]
    public async Task Echoes_the_request_content_byte_for_byte(string name)
    {
        var server = Installed(BundledServer.ByName(name)!);
        await using var running = await server.StartAsync(runDir, CancellationToken.None);
        var answer = await SendAsync(running.Port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello\0world");
        Assert.That(answer, Does.StartWith("HTTP/1.1 200 ").And.EndWith("\r\n\r\nhello\0world"));
        // A chunked request is decoded before it is echoed, and the answer is framed by Content-Length.
        var chunked = await SendAsync(running.Port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n");
        Assert.That(chunked, Does.StartWith("HTTP/1.1 200 ").And.Contain("\r\nContent-Length: 10\r\n").IgnoreCase.And.EndWith("\r\n\r\nhelloworld"));
        // No content at all is an empty answer, not an error.
        var empty = await SendAsync(running.Port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Assert.That(empty, Does.StartWith("HTTP/1.1 200 ").And.Contain("\r\nContent-Length: 0\r\n").IgnoreCase);
    }

    [Test]
    public void A_missing_binary_says_how_to_install_it()
    {
        var e = Assert.ThrowsAsync<ServerNotInstalledException>(() => new NginxServer(binary: "/nonexistent/nginx").StartAsync(runDir, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("nginx is not installed").And.Contain("apt-get install nginx-light"));
        var a = Assert.Throws<ServerNotInstalledException>(() => new ApacheServer(binary: "/nonexistent/apache2").ResolveBinary());
        Assert.That(a!.Message, Does.Contain("apt-get install apache2"));
    }

    [TestCase("lighttpd", "apt-get install lighttpd")]
    [TestCase("h2o", "apt-get install h2o")]
    [TestCase("node", "apt-get install nodejs")]
    public void A_missing_binary_of_the_new_servers_says_how_to_install_it(string name, string hint)
    {
        BundledServer server = name switch
        {
            "lighttpd" => new LighttpdServer(binary: "/nonexistent/lighttpd"),
            "h2o" => new H2oServer(binary: "/nonexistent/h2o"),
            _ => new NodeServer(binary: "/nonexistent/node"),
        };
        var e = Assert.ThrowsAsync<ServerNotInstalledException>(() => server.StartAsync(runDir, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain($"{name} is not installed").And.Contain(hint).And.Contain("--target URL --profile FILE"));
    }

    // Each new server is given a config it cannot start with; the message must carry the server's own complaint.
    [TestCase("lighttpd", "lighttpd.conf.template", "\nthis is not config\n", "parser failed")]
    [TestCase("h2o", "h2o.conf.template", "\nthis-is-not-a-directive: on\n", "this-is-not-a-directive")]
    [TestCase("node", "server.json.template", "\nnot json\n", "SyntaxError")]
    public void A_new_server_that_dies_during_startup_is_reported_with_its_log_tail(string name, string template, string garbage, string complaint)
    {
        Installed(BundledServer.ByName(name)!);
        var fixtures = CopyFixtures(name);
        File.AppendAllText(Path.Combine(fixtures, template), garbage);
        BundledServer broken = name switch
        {
            "lighttpd" => new LighttpdServer(fixtureDirectory: fixtures),
            "h2o" => new H2oServer(fixtureDirectory: fixtures),
            _ => new NodeServer(fixtureDirectory: fixtures),
        };
        var e = Assert.ThrowsAsync<ServerLaunchException>(() => broken.StartAsync(runDir, CancellationToken.None));
        Assert.That(e, Is.Not.TypeOf<ServerNotInstalledException>());
        Assert.That(e!.Message, Does.Contain("during startup").And.Contain(complaint));
    }

    [Test]
    public void Every_bundled_server_is_startable_by_name_and_has_a_profile_and_fixture_folder()
    {
        Assert.That(BundledServer.Names, Is.EquivalentTo(new[] { "nginx", "apache", "lighttpd", "h2o", "node" }));
        foreach (var name in BundledServer.Names)
        {
            var server = BundledServer.ByName(name);
            Assert.That(server, Is.Not.Null, name);
            Assert.That(server!.Name, Is.EqualTo(name));
            Assert.That(server.ProfilePath, Does.Exist, name);
            Assert.That(Path.Combine(server.FixtureDirectory, "site"), Does.Exist, name);
        }
        Assert.That(BundledTargets.Names, Is.EqualTo(new[] { "reference", "nginx", "apache", "lighttpd", "h2o", "node" }));
    }

    [Test]
    public async Task A_missing_binary_ends_the_run_with_exit_code_3_and_the_message()
    {
        var messages = new List<string>();
        var options = new RunOptions { Server = "nginx", OutputDirectory = runDir, Seed = 1 };
        var result = await ConformanceRun.ExecuteAsync(options,
            async ct => await new NginxServer(binary: "/nonexistent/nginx").StartAsync(Path.Combine(runDir, "server"), ct),
            [], messages.Add, null, CancellationToken.None);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness));
        Assert.That(result.Message, Does.Contain("apt-get install nginx-light"));
        Assert.That(messages, Has.Some.Contains("ERROR").And.Contains("not installed"));
    }

    [Test]
    public void A_server_that_dies_during_startup_is_reported_with_its_log_tail()
    {
        Installed(new NginxServer());
        var fixtures = CopyFixtures("nginx");
        File.AppendAllText(Path.Combine(fixtures, "nginx.conf.template"), "\nthis_is_not_a_directive on;\n");
        var e = Assert.ThrowsAsync<ServerLaunchException>(() => new NginxServer(fixtureDirectory: fixtures).StartAsync(runDir, CancellationToken.None));
        Assert.That(e, Is.Not.TypeOf<ServerNotInstalledException>());
        Assert.That(e!.Message, Does.Contain("exited with code").And.Contain("during startup")
            .And.Contain("unknown directive \"this_is_not_a_directive\"").And.Contain("last lines of"));
    }

    [Test]
    public void Apache_that_dies_during_startup_is_reported_with_its_log_tail()
    {
        Installed(new ApacheServer());
        var fixtures = CopyFixtures("apache");
        File.AppendAllText(Path.Combine(fixtures, "apache2.conf.template"), "\nThisIsNotADirective on\n");
        var e = Assert.ThrowsAsync<ServerLaunchException>(() => new ApacheServer(fixtureDirectory: fixtures).StartAsync(runDir, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("during startup").And.Contain("ThisIsNotADirective"));
    }

    [Test]
    public async Task A_server_that_dies_during_the_run_turns_the_cases_after_into_errors_not_failures()
    {
        var server = Installed(new NginxServer());
        RunningServer? running = null;
        var options = new RunOptions { Server = "nginx", OutputDirectory = runDir, Seed = 1, Filter = "status-line-sp-after-status-code-on-200" };
        var session = await RunSession.OpenAsync(options,
            async ct => running = await server.StartAsync(Path.Combine(runDir, "server"), ct), _ => { }, CancellationToken.None);
        await using (session)
        {
            Assert.That(session.Unreachable, Is.Null);
            using (var process = Process.GetProcessById(running!.ProcessId)) process.Kill(entireProcessTree: true);
            await running.Exited.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(running.ExitReport, Does.Contain("exited with code").And.Contain("during the run"));
            var result = await session.RunCaseAsync(session.Cases.Single(), CancellationToken.None);
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Error));
            Assert.That(result.Reason, Does.Contain("the server under test is gone"));
            var closed = session.Close([]);
            Assert.That(closed.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness));
            Assert.That(closed.Report!.Run.Note, Does.Contain("during the run"));
        }
    }

    private string CopyFixtures(string name)
    {
        var source = Path.Combine(RepoPaths.Root(), "fixtures", "servers", name);
        var copy = Path.Combine(runDir, "fixtures-copy");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return copy;
    }

    private static bool ProcessIsGone(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static Task<string> GetAsync(int port, string path, string extraHeaders = "") =>
        SendAsync(port, $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extraHeaders}Connection: close\r\n\r\n");

    /// <summary>Sends raw bytes and reads until the server closes (Connection: close), bounded by 5 s.</summary>
    private static async Task<string> SendAsync(int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
