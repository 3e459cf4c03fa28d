using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The cookie roles (RFC 6265). /cookies/set issues a signed session cookie and a preference cookie on two
/// Set-Cookie lines; /cookies/check recognises sid only when its signature verifies ("validates" mode);
/// /cookies/echo lists every cookie it received, one "name=value" line each (for variety round trips);
/// /cookies/set-secure issues one cookie with the Secure attribute (the secureCookieSetter role).
/// </summary>
internal static class Cookies
{
    public const string SessionName = "sid";

    /// <summary>The cookie /cookies/set-secure issues: a browser must send it back over https only (RFC 6265 §5.4).</summary>
    public const string SecureName = "ssid";

    /// <summary>Per process: a sid from another run (or a forged one) is never recognised.</summary>
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static void Map(WebApplication app)
    {
        app.MapResource("/cookies/set", ["GET", "HEAD"], ctx =>
        {
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            var expires = Http.ImfFixdate(DateTimeOffset.UtcNow.AddHours(1));
            // Appended, not comma-joined: Kestrel writes each value as its own field line, and cookies must
            // never be folded into one Set-Cookie (RFC 6265 §4.1.1). Values use base64url without padding
            // and '.', all cookie-octets; attributes follow the §4.1.1 grammar with an IMF-fixdate Expires.
            ctx.Response.Headers.Append("Set-Cookie", $"{SessionName}={token}.{Sign(token)}; Path=/; HttpOnly; SameSite=Lax");
            ctx.Response.Headers.Append("Set-Cookie", $"theme=light; Path=/; Max-Age=3600; Expires={expires}; SameSite=Lax");
            // The cookie is per-client: a shared cache must not hand it to someone else.
            ctx.Response.Headers.CacheControl = "no-store";
            return Http.WriteTextAsync(ctx, 200, "cookies set\n");
        });

        app.MapResource("/cookies/set-secure", ["GET", "HEAD"], ctx =>
        {
            // Sent whatever the request's scheme: a browser refuses a Secure cookie from http (RFC 6265bis), and
            // over https this is the cookie the Secure browser case follows. Path=/ so the "existing" resource
            // is in scope on both schemes, and only the scheme decides whether it is sent.
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            ctx.Response.Headers.Append("Set-Cookie", $"{SecureName}={token}; Path=/; Secure; HttpOnly");
            ctx.Response.Headers.CacheControl = "no-store";
            return Http.WriteTextAsync(ctx, 200, "secure cookie set\n");
        });

        app.MapResource("/cookies/check", ["GET", "HEAD"], ctx =>
        {
            var sid = Parse(ctx.Request).FirstOrDefault(c => c.Name == SessionName).Value;
            ctx.Response.Headers.CacheControl = "no-store";
            return sid is not null && Verify(sid)
                ? Http.WriteTextAsync(ctx, 200, $"recognised {SessionName}\n")
                : Http.WriteTextAsync(ctx, StatusCodes.Status401Unauthorized, "cookie not recognised\n");
        });

        app.MapResource("/cookies/echo", ["GET", "HEAD"], ctx =>
        {
            var lines = new StringBuilder();
            foreach (var (name, value) in Parse(ctx.Request)) lines.Append(name).Append('=').Append(value).Append('\n');
            ctx.Response.Headers.CacheControl = "no-store";
            return Http.WriteTextAsync(ctx, 200, lines.ToString());
        });
    }

    /// <summary>
    /// cookie-string = cookie-pair *( ";" SP cookie-pair ) (RFC 6265 §4.2.1). Parsed leniently (OWS trimmed,
    /// several Cookie lines joined) as a server should, since clients are not all exact.
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> Parse(HttpRequest request)
    {
        foreach (var line in request.Headers.Cookie)
        {
            if (line is null) continue;
            foreach (var pair in line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) continue;
                yield return (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
            }
        }
    }

    /// <summary>
    /// HMAC over the token's text, not its decoded bytes: base64url has spare bits in its last character, so a
    /// byte-level check would accept some one-character edits. Comparing text means any edit is refused.
    /// </summary>
    private static string Sign(string token) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(token)));

    private static bool Verify(string value)
    {
        var dot = value.LastIndexOf('.');
        if (dot <= 0) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(value[..dot]));
        var actual = Encoding.UTF8.GetBytes(value[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
