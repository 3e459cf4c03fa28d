namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "missing" role: every path no other role maps is 404 with a small text body and an explicit
/// Content-Length (RFC 9110 §15.5.5), for any recognised method, HEAD without content.
/// </summary>
internal static class Missing
{
    public static void Map(WebApplication app) =>
        // An explicit catch-all: the default MapFallback pattern excludes paths that look like file names
        // ("/nothing-here/x.txt"), which would then get routing's bodiless 404 instead of this one.
        app.MapFallback("{**path}", NotFoundAsync);

    public static Task NotFoundAsync(HttpContext ctx) => Http.WriteTextAsync(ctx, StatusCodes.Status404NotFound, "not found\n");
}
