using System.Globalization;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "existing" role: "/" (a small HTML page) and /pages/1 .. /pages/9 ("page N"), distinct bodies so a
/// pipelining case can tell the responses apart and check their order (RFC 9112 §9.3.2).
/// </summary>
internal static class StaticResources
{
    public const int PageCount = 9;

    private const string IndexHtml =
        "<!DOCTYPE html>\n<html><head><title>Conformance reference server</title></head>\n" +
        "<body><h1>Conformance reference server</h1><p>The embedded target of the HTTP/1.1 conformance suite.</p></body></html>\n";

    public static void Map(WebApplication app)
    {
        app.MapResource("/", ["GET", "HEAD"], ctx => Http.WriteTextAsync(ctx, 200, IndexHtml, Http.TextHtml));
        for (var n = 1; n <= PageCount; n++)
        {
            // One exact route per page: a route constraint like {n:int} would also serve /pages/01 as page 1.
            var body = string.Create(CultureInfo.InvariantCulture, $"page {n}");
            app.MapResource($"/pages/{n}", ["GET", "HEAD"], ctx => Http.WriteTextAsync(ctx, 200, body));
        }
    }
}
