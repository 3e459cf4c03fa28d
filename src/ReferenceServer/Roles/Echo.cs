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
            try
            {
                await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel found the content's framing malformed while it was being read. Letting the exception
                // escape would log it as an application crash; answering with Kestrel's own status keeps the
                // verdict on Kestrel's parser, where it belongs.
                await RefuseAsync(ctx, e.StatusCode).ConfigureAwait(false);
                return;
            }
            catch (IOException) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports a chunk size that overflows its counter as an IOException ("Bad chunk size
                // data"), not a BadHttpRequestException. Escaping, it became a 500 that blamed the server for a
                // request it had correctly refused to read: it is the same malformed framing, so it is a 400.
                await RefuseAsync(ctx, StatusCodes.Status400BadRequest).ConfigureAwait(false);
                return;
            }
            await Http.WriteAsync(ctx, 200, "application/octet-stream", buffer.GetBuffer().AsMemory(0, (int)buffer.Length))
                .ConfigureAwait(false);
        });

    /// <summary>
    /// A refusal of unreadable content, followed by a close: the message's end is unknown, so the rest of the
    /// connection cannot be read as further requests (RFC 9112 §6.3, §7.1).
    /// </summary>
    private static Task RefuseAsync(HttpContext ctx, int status)
    {
        // Empty, like the 400 Kestrel sends itself when it rejects a request head.
        ctx.Response.StatusCode = status;
        ctx.Response.ContentLength = 0;
        ctx.Response.Headers.Connection = "close";
        return Task.CompletedTask;
    }
}
