namespace Conformance.ReferenceServer.Roles;

/// <summary>The "redirect" role: /old-location is 301 with Location: /new-location (RFC 9110 §15.4.2, §10.2.2).</summary>
internal static class Redirects
{
    public const string Source = "/old-location";
    public const string Target = "/new-location";

    public static void Map(WebApplication app)
    {
        app.MapResource(Source, ["GET", "HEAD"], ctx =>
        {
            // A relative reference is a valid Location (RFC 9110 §10.2.2) and keeps the profile host-independent.
            ctx.Response.Headers.Location = Target;
            return Http.WriteTextAsync(ctx, StatusCodes.Status301MovedPermanently,
                $"<!DOCTYPE html>\n<html><body><p>Moved permanently to <a href=\"{Target}\">{Target}</a>.</p></body></html>\n",
                Http.TextHtml);
        });
        app.MapResource(Target, ["GET", "HEAD"], ctx => Http.WriteTextAsync(ctx, 200,
            "<!DOCTYPE html>\n<html><body><p>You arrived at the new location.</p></body></html>\n", Http.TextHtml));
    }
}
