using System.Globalization;
using System.Text;

namespace Conformance.ReferenceServer.Roles;

/// <summary>Small response helpers shared by the roles, so every answer is framed the same explicit way.</summary>
internal static class Http
{
    public const string TextPlain = "text/plain; charset=utf-8";
    public const string TextHtml = "text/html; charset=utf-8";

    /// <summary>
    /// Writes a complete response with an explicit Content-Length. For HEAD the header section (Content-Length
    /// included) is the one GET would send and no content follows (RFC 9110 §9.3.2, §8.6); setting the length
    /// ourselves means Kestrel never has to guess it for HEAD.
    /// </summary>
    public static Task WriteAsync(HttpContext ctx, int status, string contentType, ReadOnlyMemory<byte> content)
    {
        var response = ctx.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        return IsHead(ctx) ? Task.CompletedTask : response.Body.WriteAsync(content, ctx.RequestAborted).AsTask();
    }

    public static Task WriteTextAsync(HttpContext ctx, int status, string text, string contentType = TextPlain) =>
        WriteAsync(ctx, status, contentType, Encoding.UTF8.GetBytes(text));

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1), so comparisons are ordinal, unlike HttpMethods.IsHead.</summary>
    public static bool IsHead(HttpContext ctx) => string.Equals(ctx.Request.Method, "HEAD", StringComparison.Ordinal);

    public static bool IsGetOrHead(HttpContext ctx) =>
        ctx.Request.Method is "GET" or "HEAD";

    /// <summary>IMF-fixdate, the only form a sender may generate (RFC 9110 §5.6.7).</summary>
    public static string ImfFixdate(DateTimeOffset when) => when.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps one resource for every method, so this code (not routing) decides 405 vs success and always sends
    /// Allow (a MUST in a 405, RFC 9110 §15.5.6). OPTIONS is answered for every resource, so Allow lists it.
    /// </summary>
    public static void MapResource(this WebApplication app, string path, string[] methods, RequestDelegate handler)
    {
        var allow = string.Join(", ", methods.Append("OPTIONS"));
        app.Map(path, (RequestDelegate)(ctx =>
        {
            // Routing matches case-insensitively and ignores a trailing slash; URI paths are case-sensitive
            // (RFC 3986 §6.2.2.1), so only the exact documented path is this resource and the rest are missing.
            if (!string.Equals(ctx.Request.Path.Value, path, StringComparison.Ordinal)) return Missing.NotFoundAsync(ctx);
            var method = ctx.Request.Method;
            if (method == "OPTIONS") return OptionsAsync(ctx, allow);
            if (!methods.Contains(method, StringComparer.Ordinal))
            {
                ctx.Response.Headers.Allow = allow;
                return WriteTextAsync(ctx, StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed here; allowed: {allow}\n");
            }
            return handler(ctx);
        }));
    }

    /// <summary>A successful OPTIONS without content MUST send Content-Length: 0 (RFC 9110 §9.3.7).</summary>
    public static Task OptionsAsync(HttpContext ctx, string allow)
    {
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.Headers.Allow = allow;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
