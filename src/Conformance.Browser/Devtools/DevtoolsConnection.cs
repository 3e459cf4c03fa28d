using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Conformance.Harness.Browser.Devtools;

/// <summary>A DevTools command Chromium refused, or a connection that closed under it.</summary>
public sealed class DevtoolsException(string message) : Exception(message)
{
}

/// <summary>One DevTools event: its method, the session (page) it belongs to, and its parameters.</summary>
public readonly record struct DevtoolsEvent(string Method, string? SessionId, JsonElement Params);

/// <summary>
/// The run's one connection to Chromium's DevTools protocol (chromedevtools.github.io/devtools-protocol): JSON
/// commands with an id, answered by id, and events in between, over a <see cref="DevtoolsTransport"/>. Pages are
/// "flat" sessions on the same connection, told apart by sessionId, so one connection serves every case at once.
/// The suite drives Chromium this way, not through Playwright: Playwright's .NET client and its node driver
/// cost about 3 s of CPU per run on top of Chromium's own, which made the browser cases the run's long pole
/// on a two-core machine.
/// </summary>
public sealed class DevtoolsConnection : IAsyncDisposable
{
    private readonly DevtoolsTransport transport;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly ConcurrentDictionary<string, Action<DevtoolsEvent>> sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private Task? receiving;
    private int nextId;
    private string? closedBecause;

    private DevtoolsConnection(DevtoolsTransport transport) => this.transport = transport;

    /// <summary>Starts reading <paramref name="transport"/>; the connection owns it from here on.</summary>
    public static DevtoolsConnection Over(DevtoolsTransport transport)
    {
        var connection = new DevtoolsConnection(transport);
        connection.receiving = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>Routes a page session's events to <paramref name="handler"/> (called on the receive loop: it must not block).</summary>
    public void Subscribe(string sessionId, Action<DevtoolsEvent> handler) => sessions[sessionId] = handler;

    public void Unsubscribe(string sessionId) => sessions.TryRemove(sessionId, out _);

    /// <summary>
    /// Sends one command and returns its result. <paramref name="timeout"/> bounds the wait: a browser that
    /// stops answering ends the case with a <see cref="TimeoutException"/>, never the run.
    /// </summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, string? sessionId, TimeSpan timeout, CancellationToken ct = default)
    {
        if (closedBecause is { } why) throw new DevtoolsException($"{method}: {why}");
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        try
        {
            var message = Serialize(id, method, parameters, sessionId);
            await sendGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await transport.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                throw new DevtoolsException($"{method}: the connection to Chromium is gone ({e.Message})");
            }
            finally
            {
                sendGate.Release();
            }
            return await answer.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Chromium did not answer {method} within {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    private static byte[] Serialize(int id, string method, object? parameters, string? sessionId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("method", method);
            if (parameters is not null)
            {
                json.WritePropertyName("params");
                JsonSerializer.Serialize(json, parameters, parameters.GetType());
            }
            if (sessionId is not null) json.WriteString("sessionId", sessionId);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!closing.IsCancellationRequested)
            {
                if (await transport.ReceiveAsync(closing.Token).ConfigureAwait(false) is not { } message)
                {
                    Close("Chromium closed the DevTools connection");
                    return;
                }
                Dispatch(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Close(closing.IsCancellationRequested ? "the DevTools connection was closed" : $"the DevTools connection broke: {e.Message}");
        }
        catch (JsonException e)
        {
            Close($"Chromium sent a DevTools message that is not JSON: {e.Message}");
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt32(out var id))
        {
            if (!pending.TryGetValue(id, out var answer)) return;
            if (root.TryGetProperty("error", out var error))
            {
                var text = error.TryGetProperty("message", out var m) ? m.GetString() : error.GetRawText();
                answer.TrySetException(new DevtoolsException(text ?? "unknown DevTools error"));
            }
            else
            {
                answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
            return;
        }
        if (!root.TryGetProperty("method", out var methodElement)) return;
        // The browser's own events (no session) are not followed: every case works through its page's session.
        var sessionId = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
        if (sessionId is null || !sessions.TryGetValue(sessionId, out var handler)) return;
        var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
        handler(new DevtoolsEvent(methodElement.GetString() ?? "", sessionId, parameters));
    }

    /// <summary>Fails every command still waiting, so no case waits out its timeout on a browser that is gone.</summary>
    private void Close(string why)
    {
        closedBecause ??= why;
        foreach (var (_, answer) in pending) answer.TrySetException(new DevtoolsException(why));
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync().ConfigureAwait(false);
        await transport.DisposeAsync().ConfigureAwait(false);
        if (receiving is not null) await receiving.ConfigureAwait(false);
        Close("the DevTools connection was closed");
        closing.Dispose();
        sendGate.Dispose();
    }
}
