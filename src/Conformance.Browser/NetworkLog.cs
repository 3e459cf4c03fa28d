using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Conformance.Harness.Engine;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Browser;

/// <summary>
/// One request a page made (one hop: a redirect keeps the DevTools request id and adds a hop), with the headers
/// Chromium reported for it and, once it came, its response.
/// </summary>
public sealed class BrowserRequest
{
    private readonly NetworkLog log;

    internal BrowserRequest(NetworkLog log, string requestId, string url, string method, IReadOnlyList<KeyValuePair<string, string>> pageHeaders, TimeSpan at)
    {
        this.log = log;
        RequestId = requestId;
        Url = url;
        Method = method;
        PageHeaders = pageHeaders;
        At = at;
    }

    public string RequestId { get; }
    public string Url { get; }
    public string Method { get; }
    public TimeSpan At { get; }

    /// <summary>The headers as the page asked for them (Network.requestWillBeSent): without Cookie or the cache's conditionals.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PageHeaders { get; }

    /// <summary>The headers as the network stack sent them (requestWillBeSentExtraInfo), when DevTools reported them.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>>? WireHeaders { get; set; }

    /// <summary>The response as it came off the network (responseReceivedExtraInfo), when DevTools reported it.</summary>
    internal NetworkLog.WireEvent? WireResponse { get; set; }

    internal BrowserResponse? ResponseSlot { get; set; }
    internal BrowserRequest? RedirectedFromSlot { get; set; }
    internal string? FailureSlot { get; set; }

    /// <summary>The headers Chromium sent, Cookie and If-None-Match included when the network stack reported them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers
    {
        get
        {
            lock (log.Gate)
            {
                log.Align();
                return WireHeaders ?? PageHeaders;
            }
        }
    }

    /// <summary>The network's record of this hop's response, once DevTools reported one.</summary>
    public NetworkLog.WireEvent? Wire
    {
        get
        {
            lock (log.Gate)
            {
                log.Align();
                return WireResponse;
            }
        }
    }

    public BrowserResponse? Response
    {
        get
        {
            lock (log.Gate) return ResponseSlot;
        }
    }

    /// <summary>The hop this one was redirected from, or null for the first.</summary>
    public BrowserRequest? RedirectedFrom
    {
        get
        {
            lock (log.Gate) return RedirectedFromSlot;
        }
    }

    /// <summary>Why the request failed (Network.loadingFailed), or null.</summary>
    public string? Failure
    {
        get
        {
            lock (log.Gate) return FailureSlot;
        }
    }

    /// <summary>Every value of header <paramref name="name"/> this request carried.</summary>
    public IReadOnlyList<string> Values(string name) => [.. Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];
}

/// <summary>A response as the page got it (Network.responseReceived), with the network's own record beside it.</summary>
public sealed class BrowserResponse(BrowserRequest request, int status, string statusText, IReadOnlyList<KeyValuePair<string, string>> pageHeaders, TimeSpan at)
{
    public BrowserRequest Request { get; } = request;

    /// <summary>The status the page got. For a revalidation Chromium answers from its cache: the stored 200, not the 304.</summary>
    public int Status { get; } = status;
    public string StatusText { get; } = statusText;
    public TimeSpan At { get; } = at;

    /// <summary>The headers the page got (for a revalidation, the stored ones merged with the 304's).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PageHeaders { get; } = pageHeaders;

    /// <summary>The network's record of this response, when DevTools reported one.</summary>
    public NetworkLog.WireEvent? Wire => Request.Wire;

    /// <summary>The status on the wire (a revalidation's 304), else the page's.</summary>
    public int NetworkStatus => Wire?.Status ?? Status;

    /// <summary>The header lines as they came off the network when DevTools reported them, else as the page got them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => Wire?.Headers ?? PageHeaders;

    /// <summary>The field's values joined by ", " (RFC 9110 §5.3), or null when absent.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}

/// <summary>
/// The network events of one page, in the order Chromium made the requests: DevTools' Network domain, both
/// halves of it. The page's half (requestWillBeSent, responseReceived) is what the page saw: for a
/// revalidation, the stored 200. The network's half (the ExtraInfo events) carries the header lines and status
/// as they came off the wire, Cookie and the conditionals as sent, and the cookies Chromium refused, with why.
/// </summary>
public sealed class NetworkLog
{
    /// <summary>Request headers worth showing: the ones the browser cases judge, plus what identifies the request.</summary>
    private static readonly string[] RequestHeaders = ["host", "cookie", "if-none-match", "if-modified-since", "cache-control"];

    /// <summary>Response headers worth showing: cookies, redirects, validators, caching and framing.</summary>
    private static readonly string[] ResponseHeaders =
        ["set-cookie", "location", "etag", "last-modified", "cache-control", "expires", "content-type", "content-length", "transfer-encoding"];

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<BrowserRequest> requests = [];

    /// <summary>
    /// The ExtraInfo events of each request id, in arrival order. They come before or after the page's events
    /// for the same hop, so they are matched by position (the n-th of an id belongs to its n-th hop) when read.
    /// </summary>
    private readonly Dictionary<string, List<IReadOnlyList<KeyValuePair<string, string>>>> sentExtras = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<WireEvent>> receivedExtras = new(StringComparer.Ordinal);

    internal Lock Gate { get; } = new();

    /// <summary>Network.responseReceivedExtraInfo, as Chromium saw the response on the wire.</summary>
    public sealed record WireEvent(string RequestId, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers,
        IReadOnlyList<string> BlockedCookies, TimeSpan At)
    {
        /// <summary>The URL of the hop it answers (ExtraInfo does not carry it).</summary>
        public string? Url { get; set; }
    }

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Counts the transcript's times from now (a page opened ahead of its case has logged nothing yet).</summary>
    internal void Restart() => clock.Restart();

    /// <summary>Every request so far, in the order Chromium made them.</summary>
    public IReadOnlyList<BrowserRequest> Requests
    {
        get
        {
            lock (Gate) return [.. requests];
        }
    }

    /// <summary>Responses as Chromium's network stack saw them, in arrival order.</summary>
    public IReadOnlyList<WireEvent> Wire
    {
        get
        {
            lock (Gate)
            {
                Align();
                return [.. receivedExtras.Values.SelectMany(w => w).OrderBy(w => w.At)];
            }
        }
    }

    /// <summary>The network-level responses for one URL, in the order they arrived.</summary>
    public IReadOnlyList<WireEvent> WireFor(string url) => Wire.Where(w => w.Url == url).ToList();

    /// <summary>The last hop's response of a request id (a navigation's id is its loader id), or null.</summary>
    public BrowserResponse? FinalResponse(string requestId)
    {
        lock (Gate) return requests.LastOrDefault(r => r.RequestId == requestId)?.ResponseSlot;
    }

    /// <summary>Gives each hop its ExtraInfo events by position. Called under <see cref="Gate"/>.</summary>
    internal void Align()
    {
        foreach (var hops in requests.GroupBy(r => r.RequestId, StringComparer.Ordinal))
        {
            var sent = sentExtras.GetValueOrDefault(hops.Key) ?? [];
            var received = receivedExtras.GetValueOrDefault(hops.Key) ?? [];
            var n = 0;
            foreach (var hop in hops)
            {
                if (n < sent.Count) hop.WireHeaders = sent[n];
                if (n < received.Count)
                {
                    hop.WireResponse = received[n];
                    received[n].Url = hop.Url;
                }
                n++;
            }
        }
    }

    internal void OnEvent(string method, JsonElement e)
    {
        switch (method)
        {
            case "Network.requestWillBeSent": OnRequestWillBeSent(e); break;
            case "Network.requestWillBeSentExtraInfo": OnSentExtraInfo(e); break;
            case "Network.responseReceived": OnResponseReceived(e); break;
            case "Network.responseReceivedExtraInfo": OnReceivedExtraInfo(e); break;
            case "Network.loadingFailed": OnLoadingFailed(e); break;
        }
    }

    /// <summary>DevTools' headers object; it joins repeated fields (several Set-Cookie lines) with a newline, split back here.</summary>
    private static List<KeyValuePair<string, string>> HeaderLines(JsonElement parent)
    {
        var lines = new List<KeyValuePair<string, string>>();
        if (!parent.TryGetProperty("headers", out var h) || h.ValueKind != JsonValueKind.Object) return lines;
        foreach (var p in h.EnumerateObject())
        {
            foreach (var v in (p.Value.GetString() ?? "").Split('\n')) lines.Add(new(p.Name, v));
        }
        return lines;
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static int Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;

    private void OnRequestWillBeSent(JsonElement e)
    {
        var id = Text(e, "requestId");
        if (!e.TryGetProperty("request", out var r)) return;
        lock (Gate)
        {
            var previous = requests.LastOrDefault(x => x.RequestId == id);
            // A redirect reuses the id: the hop before gets its 3xx from redirectResponse.
            if (previous is not null && e.TryGetProperty("redirectResponse", out var redirect))
                previous.ResponseSlot = ResponseFrom(previous, redirect);
            var hop = new BrowserRequest(this, id, Text(r, "url"), Text(r, "method"), HeaderLines(r), clock.Elapsed);
            if (previous is not null && previous.ResponseSlot is not null) hop.RedirectedFromSlot = previous;
            requests.Add(hop);
        }
    }

    private BrowserResponse ResponseFrom(BrowserRequest request, JsonElement response) =>
        new(request, Number(response, "status"), Text(response, "statusText"), HeaderLines(response), clock.Elapsed);

    private void OnResponseReceived(JsonElement e)
    {
        var id = Text(e, "requestId");
        if (!e.TryGetProperty("response", out var response)) return;
        lock (Gate)
        {
            if (requests.LastOrDefault(x => x.RequestId == id) is { } hop) hop.ResponseSlot = ResponseFrom(hop, response);
        }
    }

    private void OnSentExtraInfo(JsonElement e)
    {
        var id = Text(e, "requestId");
        var headers = HeaderLines(e);
        lock (Gate)
        {
            if (!sentExtras.TryGetValue(id, out var list)) sentExtras[id] = list = [];
            list.Add(headers);
        }
    }

    private void OnReceivedExtraInfo(JsonElement e)
    {
        var id = Text(e, "requestId");
        var blocked = new List<string>();
        if (e.TryGetProperty("blockedCookies", out var bc) && bc.ValueKind == JsonValueKind.Array)
        {
            foreach (var b in bc.EnumerateArray())
            {
                var reasons = b.TryGetProperty("blockedReasons", out var br) && br.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", br.EnumerateArray().Select(x => x.GetString()))
                    : "";
                blocked.Add($"{Text(b, "cookieLine")} — {reasons}");
            }
        }
        lock (Gate)
        {
            if (!receivedExtras.TryGetValue(id, out var list)) receivedExtras[id] = list = [];
            list.Add(new WireEvent(id, Number(e, "statusCode"), HeaderLines(e), blocked, clock.Elapsed));
        }
    }

    private void OnLoadingFailed(JsonElement e)
    {
        var id = Text(e, "requestId");
        lock (Gate)
        {
            if (requests.LastOrDefault(x => x.RequestId == id) is { } hop) hop.FailureSlot = Text(e, "errorText");
        }
    }

    /// <summary>
    /// The transcript of the case: one "sent" entry per request (method, URL, chosen headers as Chromium
    /// reports sending them) and one "received" entry per response (status, chosen header lines), with the
    /// network-level status and refused cookies noted where DevTools reports them.
    /// </summary>
    public ConnectionTranscript ToTranscript()
    {
        var entries = new List<TranscriptEntry>();
        foreach (var request in Requests)
        {
            var sent = new StringBuilder().Append(request.Method).Append(' ').Append(request.Url).Append("\r\n");
            foreach (var h in request.Headers.Where(h => RequestHeaders.Contains(h.Key.ToLowerInvariant())))
                sent.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            entries.Add(new TranscriptEntry(Direction.Sent, Encoding.UTF8.GetBytes(sent.ToString()), request.At, "browser request (Chromium's headers as DevTools reports them, not wire bytes)"));

            if (request.Response is not { } response)
            {
                entries.Add(new TranscriptEntry(Direction.Event, [], request.At, $"no response: {request.Failure ?? "none recorded"}"));
                continue;
            }
            string statusLine;
            string note;
            if (response.Wire is { } w)
            {
                statusLine = w.Status == response.Status ? $"{w.Status} {response.StatusText}" : w.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                note = "browser response as it came off the network (DevTools)";
                if (w.Status != response.Status) note += $"; the page got it as {response.Status} {response.StatusText} (from Chromium's cache)";
                if (w.BlockedCookies.Count > 0) note += "; Chromium refused: " + string.Join(" | ", w.BlockedCookies);
            }
            else
            {
                statusLine = $"{response.Status} {response.StatusText}";
                note = "browser response as the page got it (DevTools reported no network-level record)";
            }
            var received = new StringBuilder().Append(statusLine).Append("\r\n");
            foreach (var h in response.Headers.Where(h => ResponseHeaders.Contains(h.Key.ToLowerInvariant())))
                received.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            entries.Add(new TranscriptEntry(Direction.Received, Encoding.UTF8.GetBytes(received.ToString()), response.At, note));
        }
        return new ConnectionTranscript("browser (Chromium network events)", entries);
    }
}
