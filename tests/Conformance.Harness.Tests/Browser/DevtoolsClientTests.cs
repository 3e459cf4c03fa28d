using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Conformance.Harness.Browser;
using Conformance.Harness.Browser.Devtools;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.Browser;

/// <summary>
/// The suite's own DevTools client, against the real Chromium: every way it can fail ends in an error that
/// says what happened (never a hang, never a lost process), and a browser that is gone fails its waiting
/// commands at once instead of letting each wait out its bound.
/// </summary>
[NonParallelizable]
public sealed class DevtoolsClientTests : BrowserTestBase
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public void A_missing_executable_names_itself()
    {
        var e = Assert.ThrowsAsync<DevtoolsException>(() => ChromiumProcess.StartAsync("/nonexistent/chromium", []));
        Assert.That(e!.Message, Is.EqualTo("/nonexistent/chromium does not exist"));
    }

    [Test]
    public void An_executable_that_exits_at_once_says_so_with_its_exit_code()
    {
        // /bin/false is a "browser" that ignores its flags and exits 1 without opening DevTools, on either channel.
        foreach (var channel in new[] { DevtoolsChannel.Pipe, DevtoolsChannel.WebSocket })
        {
            var e = Assert.ThrowsAsync<DevtoolsException>(() => ChromiumProcess.StartAsync("/bin/false", [], channel));
            Assert.That(e!.Message, Does.Contain("exited with code 1 before it opened DevTools"), channel.ToString());
        }
    }

    [Test]
    public async Task Dispose_stops_the_browser_by_its_pid_and_deletes_its_profile()
    {
        var browser = await HtmlScreenshot.LaunchAsync();
        var pid = browser.ProcessId;
        var profile = browser.ProfileDirectory;
        Assert.That(Directory.Exists(profile), Is.True, "the profile exists while the browser runs");
        await browser.DisposeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(IsRunning(pid), Is.False, $"Chromium (PID {pid}) still runs after dispose");
            Assert.That(Directory.Exists(profile), Is.False, "the profile is deleted");
        });
    }

    [Test]
    public async Task A_command_chromium_refuses_is_an_error_with_chromiums_reason()
    {
        await using var browser = await HtmlScreenshot.LaunchAsync();
        var e = Assert.ThrowsAsync<DevtoolsException>(() => browser.Connection.SendAsync("No.suchMethod", null, null, Bound));
        Assert.That(e!.Message, Does.Contain("wasn't found").Or.Contain("not found"));
    }

    [Test]
    public async Task A_command_left_unanswered_times_out_naming_the_command()
    {
        await using var browser = await HtmlScreenshot.LaunchAsync();
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 800, 600, ignoreCertificateErrors: false, Bound);
        var e = Assert.ThrowsAsync<TimeoutException>(() => NeverAnswered(browser.Connection, page, TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Does.Contain("Runtime.evaluate").And.Contain("0.3 s"));
    }

    [Test]
    public async Task A_browser_that_dies_fails_the_commands_waiting_on_it_at_once()
    {
        var browser = await HtmlScreenshot.LaunchAsync();
        try
        {
            var page = await BrowserPage.OpenAsync(browser.Connection, 800, 600, ignoreCertificateErrors: false, Bound);
            // Bounded by 30 s: a DevtoolsException (not a TimeoutException) shows the wait ended because the browser went.
            var waiting = NeverAnswered(browser.Connection, page, Bound);
            Process.GetProcessById(browser.ProcessId).Kill(entireProcessTree: true);
            var e = Assert.ThrowsAsync<DevtoolsException>(() => waiting);
            Assert.That(e!.Message, Does.Contain("DevTools connection"));
            Assert.ThrowsAsync<DevtoolsException>(() => page.SendAsync("Page.enable"), "a command after the browser went fails too");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    [Test]
    public async Task A_refused_connection_is_a_navigation_failure_with_chromiums_net_error()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var browser = await HtmlScreenshot.LaunchAsync();
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 800, 600, ignoreCertificateErrors: false, Bound);
        var e = Assert.ThrowsAsync<NavigationFailedException>(() => page.GotoAsync($"http://127.0.0.1:{port}/"));
        Assert.That(e!.ErrorText, Is.EqualTo("net::ERR_CONNECTION_REFUSED"));
    }

    [Test]
    public async Task A_server_that_never_answers_ends_the_case_with_an_error_not_the_run()
    {
        await using var server = new FaultServer.FaultServer();
        var profile = new TargetProfile { Name = "hang", Roles = new ProfileRoles { Redirect = new RedirectRole { Path = "/hang", Location = "/new", Status = 301 } } };
        var runner = Runner(server.Port, profile, actionTimeout: TimeSpan.FromSeconds(2));
        var result = await RunAsync(runner, "browser-redirect-301-followed");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), Explain(result));
            Assert.That(result.Reason, Does.Contain("did not finish within 2 s").And.Contain("Page.navigate"));
        });
    }

    [Test]
    public void The_network_log_matches_each_hops_network_record_by_position_whatever_the_arrival_order()
    {
        // DevTools' events as Chromium sends them for a redirect followed by a revalidated page, with the
        // ExtraInfo events of each hop arriving before and after the page's own (both orders are seen).
        var log = new NetworkLog();
        void Event(string method, string json) => log.OnEvent(method, JsonDocument.Parse(json).RootElement.Clone());
        Event("Network.requestWillBeSentExtraInfo", """{"requestId":"L","headers":{"Host":"h","Cookie":"a=1"}}""");
        Event("Network.requestWillBeSent", """{"requestId":"L","request":{"url":"http://h/a","method":"GET","headers":{}}}""");
        Event("Network.responseReceivedExtraInfo", """{"requestId":"L","statusCode":301,"headers":{"Location":"/b"}}""");
        Event("Network.responseReceivedExtraInfo", """{"requestId":"L","statusCode":304,"headers":{"ETag":"\"x\""},"blockedCookies":[{"cookieLine":"b=2; Domain=other","blockedReasons":["DomainMismatch"]}]}""");
        Event("Network.requestWillBeSent", """{"requestId":"L","request":{"url":"http://h/b","method":"GET","headers":{}},"redirectResponse":{"status":301,"statusText":"Moved Permanently","headers":{"Location":"/b"}}}""");
        Event("Network.requestWillBeSentExtraInfo", """{"requestId":"L","headers":{"Cookie":"a=1","If-None-Match":"\"x\""}}""");
        Event("Network.responseReceived", """{"requestId":"L","response":{"url":"http://h/b","status":200,"statusText":"OK","headers":{"Set-Cookie":"c=3\nd=4","ETag":"\"x\""}}}""");

        var final = log.FinalResponse("L")!;
        var first = final.Request.RedirectedFrom!;
        var transcript = Encoding.UTF8.GetString([.. log.ToTranscript().Entries.SelectMany(e => e.Bytes)]);
        var notes = string.Join("\n", log.ToTranscript().Entries.Select(e => e.Note));
        Assert.Multiple(() =>
        {
            Assert.That(first.Url, Is.EqualTo("http://h/a"));
            Assert.That(first.Response!.Status, Is.EqualTo(301));
            Assert.That(first.Values("cookie"), Is.EqualTo(new[] { "a=1" }), "the first hop's Cookie, from the ExtraInfo that came before it");
            Assert.That(final.Request.Values("if-none-match"), Is.EqualTo(new[] { "\"x\"" }), "the second hop's conditional, from its own ExtraInfo");
            Assert.That(final.Status, Is.EqualTo(200), "what the page got");
            Assert.That(final.NetworkStatus, Is.EqualTo(304), "what came off the network");
            Assert.That(final.PageHeaders.Where(h => h.Key == "Set-Cookie").Select(h => h.Value), Is.EqualTo(new[] { "c=3", "d=4" }), "repeated fields split back");
            Assert.That(log.WireFor("http://h/b").Single().BlockedCookies.Single(), Does.Contain("DomainMismatch"));
            Assert.That(log.WireFor("http://h/a").Single().Status, Is.EqualTo(301));
            Assert.That(transcript, Does.Contain("GET http://h/b\r\nCookie: a=1\r\nIf-None-Match: \"x\"\r\n").And.Contain("304\r\nETag: \"x\"\r\n"));
            Assert.That(notes, Does.Contain("the page got it as 200 OK").And.Contain("Chromium refused: b=2; Domain=other — DomainMismatch"));
        });
    }

    [Test]
    public async Task Warm_pages_are_taken_first_each_in_its_own_context_and_the_unused_close_with_the_browser()
    {
        var launch = new ChromiumLaunch(HtmlScreenshot.ChromiumPath, warmPages: 2);
        launch.Start();
        var browser = (await launch.BrowserAsync())!;
        var first = await launch.OpenPageAsync(ignoreCertificateErrors: false, TimeSpan.FromSeconds(7), CancellationToken.None);
        var second = await launch.OpenPageAsync(ignoreCertificateErrors: false, TimeSpan.FromSeconds(7), CancellationToken.None);
        var third = await launch.OpenPageAsync(ignoreCertificateErrors: false, TimeSpan.FromSeconds(7), CancellationToken.None);
        var contexts = await browser.Connection.SendAsync("Target.getBrowserContexts", null, null, Bound);
        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second, third }.Select(p => p.SessionId).Distinct().Count(), Is.EqualTo(3), "three pages");
            Assert.That(contexts.GetProperty("browserContextIds").GetArrayLength(), Is.GreaterThanOrEqualTo(3), "each in a context of its own");
            Assert.That(first.Timeout, Is.EqualTo(TimeSpan.FromSeconds(7)), "a warm page takes the case's bound");
            Assert.That(first.Log.Requests, Is.Empty, "a warm page has logged nothing before its case");
        });
        await first.DisposeAsync();
        var pid = browser.ProcessId;
        await launch.DisposeAsync();
        Assert.That(IsRunning(pid), Is.False, "the browser, and the pages nobody closed, are gone");
    }

    [Test]
    public async Task The_websocket_channel_drives_a_page_like_the_pipes()
    {
        // The channel where there is no /bin/sh to hand over pipes (Windows); the same page through it.
        await using var browser = await ChromiumProcess.StartAsync(HtmlScreenshot.ChromiumPath, HtmlScreenshot.OfflineArgs, DevtoolsChannel.WebSocket);
        await using var page = await BrowserPage.OpenAsync(browser.Connection, 800, 600, ignoreCertificateErrors: false, Bound);
        await page.GotoAsync("data:text/html,<p>over the websocket</p>");
        var text = await page.BodyTextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("over the websocket"));
            Assert.That(ChromiumProcess.DefaultChannel, Is.EqualTo(OperatingSystem.IsWindows() ? DevtoolsChannel.WebSocket : DevtoolsChannel.Pipe));
        });
    }

    [Test]
    public void Shared_memory_is_moved_off_dev_shm_only_where_it_is_small_or_missing()
    {
        Assert.That(ChromiumProcess.SharedMemoryIsSmall("/nonexistent/shm"), Is.True, "no /dev/shm: the temp folder");
        if (Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").TotalSize >= 512L * 1024 * 1024)
            Assert.That(ChromiumProcess.SharedMemoryIsSmall(), Is.False, "a large /dev/shm is used as it is");
    }

    /// <summary>A command Chromium only answers when a promise that never settles settles.</summary>
    private static Task<JsonElement> NeverAnswered(DevtoolsConnection connection, BrowserPage page, TimeSpan timeout) =>
        connection.SendAsync("Runtime.evaluate", new { expression = "new Promise(() => {})", awaitPromise = true }, page.SessionId, timeout);

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
