using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Conformance.Harness.Engine;
using Conformance.Harness.Wire;
using Microsoft.Playwright;

namespace Conformance.Harness.Browser;

/// <summary>
/// The network events of one browser case, in the order Chromium made the requests: method, URL, status
/// and the headers that matter to the browser cases. Two sources, both kept: Playwright's request/response
/// objects, and the DevTools protocol's ExtraInfo events, which carry the status and header lines as they
/// came off the network (Playwright reports a revalidated 304 as the cached 200) and the cookies Chromium
/// refused with its reason.
/// </summary>
public sealed class NetworkLog
{
    /// <summary>Request headers worth showing: the ones the browser cases judge, plus what identifies the request.</summary>
    private static readonly string[] RequestHeaders = ["host", "cookie", "if-none-match", "if-modified-since", "cache-control"];

    /// <summary>Response headers worth showing: cookies, redirects, validators, caching and framing.</summary>
    private static readonly string[] ResponseHeaders =
        ["set-cookie", "location", "etag", "last-modified", "cache-control", "expires", "content-type", "content-length", "transfer-encoding"];

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<(IRequest Request, TimeSpan At)> requests = [];
    private readonly Dictionary<IRequest, TimeSpan> responded = [];
    private readonly List<WireEvent> wire = [];
    private readonly Lock gate = new();

    /// <summary>Network.responseReceivedExtraInfo, as Chromium saw the response on the wire.</summary>
    public sealed record WireEvent(string RequestId, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers,
        IReadOnlyList<string> BlockedCookies, TimeSpan At)
    {
        /// <summary>The URL, from Network.requestWillBeSent (ExtraInfo does not carry it).</summary>
        public string? Url { get; set; }
    }

    /// <summary>
    /// The URLs each DevTools request id asked for, in order: a redirect keeps its request id and adds a URL,
    /// so the n-th ExtraInfo of an id answers its n-th URL.
    /// </summary>
    private readonly Dictionary<string, List<string>> urls = new(StringComparer.Ordinal);

    public static async Task<NetworkLog> AttachAsync(IBrowserContext context, IPage page)
    {
        var log = new NetworkLog();
        page.Request += (_, r) => { lock (log.gate) log.requests.Add((r, log.clock.Elapsed)); };
        page.Response += (_, r) => { lock (log.gate) log.responded[r.Request] = log.clock.Elapsed; };
        var cdp = await context.NewCDPSessionAsync(page).ConfigureAwait(false);
        cdp.Event("Network.responseReceivedExtraInfo").OnEvent += (_, e) => log.OnExtraInfo(e);
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => log.OnRequestWillBeSent(e);
        await cdp.SendAsync("Network.enable").ConfigureAwait(false);
        return log;
    }

    /// <summary>Responses as Chromium's network stack saw them, in arrival order.</summary>
    public IReadOnlyList<WireEvent> Wire
    {
        get
        {
            lock (gate)
            {
                foreach (var group in wire.GroupBy(w => w.RequestId))
                {
                    var asked = urls.GetValueOrDefault(group.Key) ?? [];
                    var n = 0;
                    foreach (var w in group) w.Url ??= n < asked.Count ? asked[n++] : null;
                }
                return [.. wire];
            }
        }
    }

    public TimeSpan Elapsed => clock.Elapsed;

    private void OnExtraInfo(JsonElement? e)
    {
        if (e is not { } json) return;
        var id = json.TryGetProperty("requestId", out var rid) ? rid.GetString() ?? "" : "";
        var status = json.TryGetProperty("statusCode", out var sc) && sc.TryGetInt32(out var s) ? s : 0;
        var headers = new List<KeyValuePair<string, string>>();
        if (json.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                // DevTools joins repeated fields (several Set-Cookie lines) with a newline: split them back.
                foreach (var v in (p.Value.GetString() ?? "").Split('\n')) headers.Add(new(p.Name, v));
            }
        }
        var blocked = new List<string>();
        if (json.TryGetProperty("blockedCookies", out var bc) && bc.ValueKind == JsonValueKind.Array)
        {
            foreach (var b in bc.EnumerateArray())
            {
                var line = b.TryGetProperty("cookieLine", out var cl) ? cl.GetString() : null;
                var reasons = b.TryGetProperty("blockedReasons", out var br) && br.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", br.EnumerateArray().Select(x => x.GetString()))
                    : "";
                blocked.Add($"{line} — {reasons}");
            }
        }
        lock (gate) wire.Add(new WireEvent(id, status, headers, blocked, clock.Elapsed));
    }

    private void OnRequestWillBeSent(JsonElement? e)
    {
        if (e is not { } json) return;
        if (!json.TryGetProperty("requestId", out var rid) || !json.TryGetProperty("request", out var r)) return;
        if (!r.TryGetProperty("url", out var url)) return;
        var id = rid.GetString() ?? "";
        lock (gate)
        {
            if (!urls.TryGetValue(id, out var list)) urls[id] = list = [];
            list.Add(url.GetString() ?? "");
        }
    }

    /// <summary>The network-level responses for one URL, in the order they arrived.</summary>
    public IReadOnlyList<WireEvent> WireFor(string url) => Wire.Where(w => w.Url == url).ToList();

    /// <summary>
    /// The transcript of the case: one "sent" entry per request (method, URL, chosen headers as Chromium
    /// reports sending them) and one "received" entry per response (status, chosen header lines), with the
    /// network-level status and refused cookies noted where DevTools reports them.
    /// </summary>
    public async Task<ConnectionTranscript> ToTranscriptAsync()
    {
        List<(IRequest Request, TimeSpan At)> seen;
        lock (gate) seen = [.. requests];
        var wireEvents = Wire;
        var entries = new List<TranscriptEntry>();
        var used = new HashSet<WireEvent>();
        // Each look-up is a round trip to the driver: all of them at once, then the transcript in request order.
        var lookedUp = await Task.WhenAll(seen.Select(async s =>
            (Headers: await SafeAsync(s.Request.HeadersArrayAsync).ConfigureAwait(false), Response: await SafeAsync(s.Request.ResponseAsync).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var ((request, at), (headers, response)) in seen.Zip(lookedUp))
        {
            var sent = new StringBuilder().Append(request.Method).Append(' ').Append(request.Url).Append("\r\n");
            var reqHeaders = headers ?? [];
            foreach (var h in reqHeaders.Where(h => RequestHeaders.Contains(h.Name.ToLowerInvariant())))
                sent.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
            entries.Add(new TranscriptEntry(Direction.Sent, Encoding.UTF8.GetBytes(sent.ToString()), at, "browser request (Chromium's headers as DevTools reports them, not wire bytes)"));

            if (response is null)
            {
                entries.Add(new TranscriptEntry(Direction.Event, [], at, $"no response: {request.Failure ?? "none recorded"}"));
                continue;
            }
            TimeSpan respondedAt;
            lock (gate) respondedAt = responded.GetValueOrDefault(request, at);
            // The k-th request for a URL is answered by the k-th network response for it.
            var w = wireEvents.FirstOrDefault(x => x.Url == request.Url && !used.Contains(x));
            if (w is not null) used.Add(w);

            // Prefer what came off the network: for a revalidation Playwright reports the stored 200 and merged headers.
            IEnumerable<KeyValuePair<string, string>> lines;
            string statusLine;
            string note;
            if (w is not null)
            {
                statusLine = w.Status == response.Status ? $"{w.Status} {response.StatusText}" : w.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                lines = w.Headers;
                note = "browser response as it came off the network (DevTools)";
                if (w.Status != response.Status) note += $"; Playwright reports it as {response.Status} {response.StatusText}";
                if (w.BlockedCookies.Count > 0) note += "; Chromium refused: " + string.Join(" | ", w.BlockedCookies);
            }
            else
            {
                statusLine = $"{response.Status} {response.StatusText}";
                lines = (await SafeAsync(response.HeadersArrayAsync).ConfigureAwait(false) ?? []).Select(h => new KeyValuePair<string, string>(h.Name, h.Value));
                note = "browser response as Playwright reports it (no network-level record)";
            }
            var received = new StringBuilder().Append(statusLine).Append("\r\n");
            foreach (var h in lines.Where(h => ResponseHeaders.Contains(h.Key.ToLowerInvariant())))
                received.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            entries.Add(new TranscriptEntry(Direction.Received, Encoding.UTF8.GetBytes(received.ToString()), respondedAt, note));
        }
        return new ConnectionTranscript("browser (Chromium network events)", entries);
    }

    /// <summary>Playwright throws once a request's target is gone; a transcript line is not worth failing a case for.</summary>
    private static async Task<T?> SafeAsync<T>(Func<Task<T>> get) where T : class?
    {
        try
        {
            return await get().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            return null;
        }
    }
}
