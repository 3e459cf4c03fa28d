using System.Text.Json;

namespace Conformance.Harness.Browser.Devtools;

/// <summary>A navigation Chromium could not complete: its net:: error, as DevTools' Page.navigate reports it.</summary>
public sealed class NavigationFailedException(string url, string errorText) : Exception($"{errorText} at {url}")
{
    public string ErrorText { get; } = errorText;
}

/// <summary>A cookie in a page's jar, as Network.getCookies reports it.</summary>
public sealed record BrowserCookie(string Name, string Value, string Domain, string Path, double Expires, bool HttpOnly, bool Secure, string SameSite);

/// <summary>
/// One page in a browser context of its own (its own cookie jar and cache, as a fresh profile has), driven
/// over a flat DevTools session of the run's one connection. Every command is bounded by
/// <see cref="Timeout"/>. Disposing it disposes the context and everything in it.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly DevtoolsConnection connection;
    private readonly string contextId;
    private readonly string sessionId;
    private readonly Lock gate = new();

    /// <summary>Loader ids whose document fired "load", and the main frame's committed loaders in order.</summary>
    private readonly HashSet<string> loaded = new(StringComparer.Ordinal);
    private readonly List<string> committed = [];

    /// <summary>Completed and replaced on every lifecycle change: a waiter re-checks its condition on each.</summary>
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrowserPage(DevtoolsConnection connection, string contextId, string sessionId, TimeSpan timeout)
    {
        this.connection = connection;
        this.contextId = contextId;
        this.sessionId = sessionId;
        Timeout = timeout;
    }

    /// <summary>The bound on each command and each wait of this page.</summary>
    public TimeSpan Timeout { get; private set; }

    /// <summary>
    /// Hands a page opened ahead of time to the case that takes it: the case's own bound, and the network
    /// log's clock started now, so the transcript's times count from the case's start, not the page's.
    /// </summary>
    internal void Take(TimeSpan timeout)
    {
        Timeout = timeout;
        Log.Restart();
    }

    /// <summary>The flat DevTools session this page's commands and events go by.</summary>
    public string SessionId => sessionId;

    /// <summary>Every request the page made and every response it got, as Chromium's network stack reported them.</summary>
    public NetworkLog Log { get; } = new();

    /// <summary>
    /// Opens a page in a new context of the connected browser. <paramref name="ignoreCertificateErrors"/> is for an
    /// https target whose certificate the run has already judged (its own probe, with --ca or --insecure).
    /// </summary>
    public static async Task<BrowserPage> OpenAsync(DevtoolsConnection connection, int width, int height, bool ignoreCertificateErrors, TimeSpan timeout, CancellationToken ct = default)
    {
        var context = await connection.SendAsync("Target.createBrowserContext", new { disposeOnDetach = true }, null, timeout, ct).ConfigureAwait(false);
        var contextId = context.GetProperty("browserContextId").GetString()!;
        try
        {
            var target = await connection.SendAsync("Target.createTarget", new { url = "about:blank", browserContextId = contextId }, null, timeout, ct).ConfigureAwait(false);
            var targetId = target.GetProperty("targetId").GetString()!;
            var attached = await connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, null, timeout, ct).ConfigureAwait(false);
            var page = new BrowserPage(connection, contextId, attached.GetProperty("sessionId").GetString()!, timeout);
            connection.Subscribe(page.sessionId, page.OnEvent);
            List<Task> setUp =
            [
                page.SendAsync("Page.enable"),
                page.SendAsync("Page.setLifecycleEventsEnabled", new { enabled = true }),
                page.SendAsync("Network.enable"),
                page.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false }),
            ];
            if (ignoreCertificateErrors) setUp.Add(page.AcceptAnyCertificateAsync());
            await Task.WhenAll(setUp).ConfigureAwait(false);
            return page;
        }
        catch
        {
            await DisposeContextAsync(connection, contextId, timeout).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Accepts the target's certificate whatever its issuer: for an https target whose certificate the run has
    /// already judged (its own probe, with --ca or --insecure), since Chromium knows nothing of --ca.
    /// </summary>
    internal Task AcceptAnyCertificateAsync() => SendAsync("Security.setIgnoreCertificateErrors", new { ignore = true });

    /// <summary>Sends a command to this page's session.</summary>
    public Task<JsonElement> SendAsync(string method, object? parameters = null) => connection.SendAsync(method, parameters, sessionId, Timeout);

    /// <summary>Every event of this page's session, for domains the page itself does not follow (called on the receive loop: it must not block).</summary>
    public event Action<DevtoolsEvent>? Event;

    private void OnEvent(DevtoolsEvent e)
    {
        Event?.Invoke(e);
        switch (e.Method)
        {
            case "Page.lifecycleEvent" when e.Params.GetProperty("name").GetString() == "load":
                lock (gate) loaded.Add(e.Params.GetProperty("loaderId").GetString() ?? "");
                Pulse();
                break;
            case "Page.frameNavigated" when !e.Params.GetProperty("frame").TryGetProperty("parentId", out _):
                lock (gate) committed.Add(e.Params.GetProperty("frame").GetProperty("loaderId").GetString() ?? "");
                Pulse();
                break;
            default:
                if (e.Method.StartsWith("Network.", StringComparison.Ordinal)) Log.OnEvent(e.Method, e.Params);
                break;
        }
    }

    private void Pulse()
    {
        TaskCompletionSource done;
        lock (gate)
        {
            done = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Waits until <paramref name="holds"/> (checked under the page's lock) is true, within <see cref="Timeout"/>.</summary>
    private async Task WaitUntilAsync(Func<bool> holds, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (holds()) return;
                next = changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{what} did not happen within {Timeout.TotalSeconds:0.#} s");
            try
            {
                await next.WaitAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The deadline passed: the loop checks once more, then says what did not happen.
            }
        }
    }

    /// <summary>
    /// Navigates and waits for the page's load event, as a user's page load ends. Returns the final response of
    /// the navigation (after any redirects), or null when the page came from nowhere on the network.
    /// Throws <see cref="NavigationFailedException"/> when Chromium could not load it (a net:: error, including
    /// an error status without content, which Chromium replaces with its own error page).
    /// </summary>
    public async Task<BrowserResponse?> GotoAsync(string url)
    {
        var navigation = await SendAsync("Page.navigate", new { url }).ConfigureAwait(false);
        if (navigation.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
            throw new NavigationFailedException(url, text);
        if (!navigation.TryGetProperty("loaderId", out var loader)) return null; // a same-document navigation: nothing was loaded
        var loaderId = loader.GetString()!;
        await WaitUntilAsync(() => loaded.Contains(loaderId), $"the load of {url}").ConfigureAwait(false);
        // A navigation's network request id is its loader id: its last hop holds the final response.
        return Log.FinalResponse(loaderId);
    }

    /// <summary>Reloads as a user's reload does (Chromium revalidates what it stored) and waits for the load event.</summary>
    public async Task<BrowserResponse?> ReloadAsync()
    {
        int before;
        lock (gate) before = committed.Count;
        await SendAsync("Page.reload").ConfigureAwait(false);
        await WaitUntilAsync(() => committed.Count > before, "the reload's commit").ConfigureAwait(false);
        string loaderId;
        lock (gate) loaderId = committed[^1];
        await WaitUntilAsync(() => loaded.Contains(loaderId), "the reload's load").ConfigureAwait(false);
        return Log.FinalResponse(loaderId);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var reply = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true }).ConfigureAwait(false);
        if (reply.TryGetProperty("exceptionDetails", out var thrown))
            throw new DevtoolsException($"the page threw evaluating {expression}: {thrown.GetRawText()}");
        return reply.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>The page's address now (after redirects).</summary>
    public async Task<string> UrlAsync() => (await EvaluateAsync("location.href").ConfigureAwait(false)).GetString() ?? "";

    /// <summary>The text the page shows: the body's innerText, empty when the document has no body.</summary>
    public async Task<string> BodyTextAsync() =>
        (await EvaluateAsync("document.body ? document.body.innerText : ''").ConfigureAwait(false)).GetString() ?? "";

    /// <summary>The page's clock (Date.now()).</summary>
    public async Task<DateTimeOffset> NowAsync() =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(await EvaluateAsync("Date.now()").ConfigureAwait(false)).GetDouble());

    /// <summary>The cookies this page's context would send to any of <paramref name="urls"/>.</summary>
    public async Task<IReadOnlyList<BrowserCookie>> CookiesAsync(params string[] urls)
    {
        var reply = await SendAsync("Network.getCookies", new { urls }).ConfigureAwait(false);
        return reply.GetProperty("cookies").EnumerateArray().Select(c => new BrowserCookie(
            c.GetProperty("name").GetString() ?? "",
            c.GetProperty("value").GetString() ?? "",
            c.GetProperty("domain").GetString() ?? "",
            c.GetProperty("path").GetString() ?? "",
            c.GetProperty("expires").GetDouble(),
            c.GetProperty("httpOnly").GetBoolean(),
            c.GetProperty("secure").GetBoolean(),
            // DevTools leaves sameSite out when the cookie set none; Chromium then treats it as Lax.
            c.TryGetProperty("sameSite", out var s) ? s.GetString() ?? "Lax" : "Lax")).ToList();
    }

    /// <summary>The body of a response, as Chromium received it (decoded from base64 when DevTools sends it so).</summary>
    public async Task<byte[]> BodyAsync(BrowserResponse response)
    {
        var reply = await SendAsync("Network.getResponseBody", new { requestId = response.Request.RequestId }).ConfigureAwait(false);
        var body = reply.GetProperty("body").GetString() ?? "";
        return reply.GetProperty("base64Encoded").GetBoolean() ? Convert.FromBase64String(body) : System.Text.Encoding.UTF8.GetBytes(body);
    }

    /// <summary>A PNG of the page's viewport.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        // optimizeForSpeed: a faster PNG encoder (a larger file); about a third of a case's screenshot time.
        var reply = await SendAsync("Page.captureScreenshot", new { format = "png", optimizeForSpeed = true }).ConfigureAwait(false);
        return Convert.FromBase64String(reply.GetProperty("data").GetString() ?? "");
    }

    private static async Task DisposeContextAsync(DevtoolsConnection connection, string contextId, TimeSpan timeout)
    {
        try
        {
            await connection.SendAsync("Target.disposeBrowserContext", new { browserContextId = contextId }, null, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DevtoolsException or TimeoutException)
        {
            // The browser is gone or busy closing: the context goes with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        connection.Unsubscribe(sessionId);
        await DisposeContextAsync(connection, contextId, Timeout).ConfigureAwait(false);
    }
}
