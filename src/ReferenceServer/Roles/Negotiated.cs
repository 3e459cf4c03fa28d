using System.Security.Cryptography;
using System.Text;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "negotiated" role: /negotiated chooses its representation by Accept-Language (proactive negotiation,
/// RFC 9110 §12.1) and says so with Vary (§12.5.5), on the 200 and on the 304 alike (§15.4.5).
/// </summary>
internal static class Negotiated
{
    public const string Path = "/negotiated";
    public const string VaryField = "Accept-Language";
    public const int MaxAgeSeconds = 60;

    private static readonly DateTimeOffset LastModified = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The languages it has, the first being the default when none acceptable is asked for.</summary>
    private static readonly (string Language, byte[] Content, string ETag)[] Variants =
    [
        Variant("en", "Hello: this representation is in English.\n"),
        Variant("fr", "Bonjour : cette représentation est en français.\n"),
    ];

    private static (string, byte[], string) Variant(string language, string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        return (language, content, $"\"{language}-{Convert.ToHexStringLower(SHA256.HashData(content))[..12]}\"");
    }

    public static void Map(WebApplication app) => app.MapResource(Path, ["GET", "HEAD"], HandleAsync);

    private static Task HandleAsync(HttpContext ctx)
    {
        var variant = Select(ctx.Request.Headers.AcceptLanguage.ToString());
        var headers = ctx.Response.Headers;
        Preconditions.WriteFreshness(ctx, MaxAgeSeconds);
        headers.Vary = VaryField;
        headers.ETag = variant.ETag;
        headers.ContentLanguage = variant.Language;
        var status = Preconditions.Evaluate(ctx.Request, variant.ETag, LastModified);
        if (status == StatusCodes.Status412PreconditionFailed) return Http.WriteTextAsync(ctx, status, "precondition failed\n");
        if (status == StatusCodes.Status304NotModified)
        {
            headers.ContentLanguage = default;
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        headers.LastModified = Http.ImfFixdate(LastModified);
        return Http.WriteAsync(ctx, 200, Http.TextPlain, variant.Content);
    }

    /// <summary>The acceptable language with the highest weight (ties: the order given); the default otherwise.</summary>
    private static (string Language, byte[] Content, string ETag) Select(string acceptLanguage)
    {
        var best = Variants[0];
        var bestWeight = -1.0;
        foreach (var member in acceptLanguage.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = member.Split(';', StringSplitOptions.TrimEntries);
            var weight = 1.0;
            foreach (var p in parts.Skip(1))
            {
                if (p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(p[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q)) weight = q;
            }
            var language = parts[0].Split('-')[0];
            var match = Variants.FirstOrDefault(v => v.Language.Equals(language, StringComparison.OrdinalIgnoreCase));
            if (match.Content is not null && weight > 0 && weight > bestWeight)
            {
                best = match;
                bestWeight = weight;
            }
        }
        return best;
    }
}
