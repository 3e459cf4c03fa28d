using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "writable" role: under /uploads/, PUT creates (201) or replaces (204) a resource and GET reads it back
/// (RFC 9110 §9.3.4), with If-Match / If-None-Match evaluated first (§13.2.2), so "If-Match: *" can meet a
/// resource with no current representation. Held in memory and bounded: the oldest is dropped past the limit.
/// </summary>
internal static partial class Writable
{
    public const string Prefix = "/uploads/";
    private const int MaxResources = 256;
    private const int MaxContentBytes = 64 * 1024;
    private const string Allow = "GET, HEAD, PUT, OPTIONS";

    private static readonly ConcurrentDictionary<string, Stored> Store = new(StringComparer.Ordinal);
    private static long order;

    private sealed record Stored(byte[] Content, string ETag, DateTimeOffset LastModified, long Order);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex Name();

    public static void Map(WebApplication app) => app.Map(Prefix + "{name}", (RequestDelegate)HandleAsync);

    private static async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var name = path.Length > Prefix.Length && path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : "";
        if (!Name().IsMatch(name))
        {
            await Missing.NotFoundAsync(ctx).ConfigureAwait(false);
            return;
        }
        var method = ctx.Request.Method;
        if (method == "OPTIONS")
        {
            await Http.OptionsAsync(ctx, Allow).ConfigureAwait(false);
            return;
        }
        if (method is not ("GET" or "HEAD" or "PUT"))
        {
            ctx.Response.Headers.Allow = Allow;
            await Http.WriteTextAsync(ctx, StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed here; allowed: {Allow}\n").ConfigureAwait(false);
            return;
        }

        Store.TryGetValue(name, out var current);
        if (method != "PUT" && current is null)
        {
            // §13.2.1: the answer without preconditions is 404, so they are ignored.
            await Missing.NotFoundAsync(ctx).ConfigureAwait(false);
            return;
        }
        var status = Preconditions.Evaluate(ctx.Request, current?.ETag, current?.LastModified);
        if (status == StatusCodes.Status412PreconditionFailed)
        {
            await Http.WriteTextAsync(ctx, status, "precondition failed\n").ConfigureAwait(false);
            return;
        }
        if (method != "PUT")
        {
            ctx.Response.Headers.ETag = current!.ETag;
            if (status == StatusCodes.Status304NotModified)
            {
                ctx.Response.StatusCode = status;
                return;
            }
            // Kestrel's own Date is refreshed once a second and can lag the clock that stamped Last-Modified; set
            // Date here so Last-Modified is never later than it (RFC 9110 §8.8.2.1).
            var clock = DateTimeOffset.UtcNow;
            var date = new DateTimeOffset(clock.Ticks - (clock.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            ctx.Response.Headers.Date = Http.ImfFixdate(date);
            ctx.Response.Headers.LastModified = Http.ImfFixdate(current.LastModified < date ? current.LastModified : date);
            await Http.WriteAsync(ctx, 200, "application/octet-stream", current.Content).ConfigureAwait(false);
            return;
        }

        var content = await ReadContentAsync(ctx).ConfigureAwait(false);
        if (content is null)
        {
            await Http.WriteTextAsync(ctx, StatusCodes.Status413PayloadTooLarge, $"at most {MaxContentBytes} bytes\n").ConfigureAwait(false);
            return;
        }
        var now = DateTimeOffset.UtcNow;
        var stored = new Stored(content, "\"w-" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"",
            new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero), Interlocked.Increment(ref order));
        Store[name] = stored;
        Evict();
        // The content is stored as sent, so the validator of the new representation may be sent (§9.3.4).
        ctx.Response.Headers.ETag = stored.ETag;
        if (current is null)
        {
            ctx.Response.Headers.Location = path;
            await Http.WriteTextAsync(ctx, StatusCodes.Status201Created, "created\n").ConfigureAwait(false);
        }
        else
        {
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    private static async Task<byte[]?> ReadContentAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxContentBytes) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static void Evict()
    {
        while (Store.Count > MaxResources)
        {
            var oldest = Store.MinBy(kv => kv.Value.Order);
            Store.TryRemove(oldest.Key, out _);
        }
    }
}
