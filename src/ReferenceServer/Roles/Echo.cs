namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "echo" role: POST /echo answers 200 application/octet-stream with exactly the request content.
/// Kestrel has already removed the framing (Content-Length or chunked, RFC 9112 §6, §7.1).
/// </summary>
internal static class Echo
{
    public const string Path = "/echo";

    public static void Map(WebApplication app) =>
        app.MapResource(Path, ["POST"], async ctx =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            await Http.WriteAsync(ctx, 200, "application/octet-stream", buffer.GetBuffer().AsMemory(0, (int)buffer.Length))
                .ConfigureAwait(false);
        });
}
