using Microsoft.AspNetCore.Http.Features;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// Server-wide method policy. Kestrel accepts any token as a method and hands it to the application, so the
/// distinction RFC 9110 draws is made here: an unrecognised method is 501 (§9.1, SHOULD) whatever the path;
/// a recognised one that a resource does not allow is that resource's 405 with Allow (§15.5.6, see Http.MapResource).
/// </summary>
internal static class MethodPolicy
{
    /// <summary>The RFC 9110 §9 methods plus PATCH (RFC 5789). Case-sensitive: "get" is not GET.</summary>
    private static readonly HashSet<string> Recognised =
        new(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"], StringComparer.Ordinal);

    /// <summary>What the server as a whole supports somewhere, for OPTIONS * (RFC 9110 §9.3.7).</summary>
    private const string ServerWideAllow = "GET, HEAD, POST, OPTIONS";

    public static Task Middleware(HttpContext ctx, RequestDelegate next)
    {
        var method = ctx.Request.Method;
        if (!Recognised.Contains(method))
        {
            return Http.WriteTextAsync(ctx, StatusCodes.Status501NotImplemented, $"method {method} is not implemented by this server\n");
        }
        // asterisk-form addresses the server, not a resource; Kestrel only lets it through for OPTIONS.
        if (method == "OPTIONS" && ctx.Features.Get<IHttpRequestFeature>()?.RawTarget == "*")
        {
            return Http.OptionsAsync(ctx, ServerWideAllow);
        }
        return next(ctx);
    }
}
