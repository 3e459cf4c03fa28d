using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "validators" role: /static/validated.txt, a fixed representation with a strong ETag and a fixed
/// Last-Modified, evaluating preconditions in the order of RFC 9110 §13.2.2 (coded here, not delegated to
/// ASP.NET Core, so the behaviour is exactly the RFC's and visible in one place).
/// </summary>
internal static class Conditional
{
    public const string Path = "/static/validated.txt";
    public const int MaxAgeSeconds = 60;

    private static readonly byte[] Content =
        "This representation never changes, so its validators are the same on every run and every restart.\n"u8.ToArray();

    /// <summary>Derived from the content, so it is stable across restarts and changes only if the content does.</summary>
    public static readonly string ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Content))[..16] + "\"";

    /// <summary>A constant in the past, so it is never later than Date (RFC 9110 §8.8.2).</summary>
    public static readonly DateTimeOffset LastModified = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Map(WebApplication app) =>
        // POST is allowed (and harmless) so that "a false If-None-Match on a method other than GET/HEAD is 412"
        // can be shown: on a method the resource refuses, the 405 wins and preconditions MUST be ignored (§13.2.1).
        app.MapResource(Path, ["GET", "HEAD", "POST"], HandleAsync);

    private static Task HandleAsync(HttpContext ctx)
    {
        var status = EvaluatePreconditions(ctx.Request);
        if (status == StatusCodes.Status412PreconditionFailed)
        {
            return Http.WriteTextAsync(ctx, status, "precondition failed\n");
        }
        if (!Http.IsGetOrHead(ctx))
        {
            return Http.WriteTextAsync(ctx, 200, "accepted; the representation is unchanged\n");
        }
        WriteRepresentationMetadata(ctx);
        if (status == StatusCodes.Status304NotModified)
        {
            // No content and no Content-Length: a 304 ends at the empty line (RFC 9110 §15.4.5).
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Headers.LastModified = Http.ImfFixdate(LastModified);
        return Http.WriteAsync(ctx, 200, Http.TextPlain, Content);
    }

    /// <summary>RFC 9110 §13.2.2 steps 1-4 (If-Range needs Range, which this resource does not support: §13.1.5).</summary>
    private static int EvaluatePreconditions(HttpRequest request) => Preconditions.Evaluate(request, ETag, LastModified);

    /// <summary>
    /// The header fields a 304 must repeat from the 200 (RFC 9110 §15.4.5): ETag, Date, Cache-Control, Expires,
    /// Vary, Content-Location. Date is set here so Expires is computed from the very value sent.
    /// </summary>
    private static void WriteRepresentationMetadata(HttpContext ctx)
    {
        var headers = ctx.Response.Headers;
        var now = DateTimeOffset.UtcNow;
        var date = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        headers.Date = Http.ImfFixdate(date);
        headers.ETag = ETag;
        headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"max-age={MaxAgeSeconds}");
        headers.Expires = Http.ImfFixdate(date.AddSeconds(MaxAgeSeconds));
        headers.Vary = "Accept-Encoding";
        headers.ContentLocation = Path;
    }
}

/// <summary>
/// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete rfc850-date and asctime-date forms a recipient
/// must also accept. Anything else is invalid, which makes If-Modified-Since / If-Unmodified-Since ignored.
/// </summary>
internal static class HttpDate
{
    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    private static readonly string[] FixedYearFormats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'", // IMF-fixdate
        "ddd MMM  d HH:mm:ss yyyy",        // asctime-date, day 1-9 is SP-padded
        "ddd MMM dd HH:mm:ss yyyy",        // asctime-date, day 10-31
    ];

    public static bool TryParse(string value, out DateTimeOffset date)
    {
        foreach (var format in FixedYearFormats)
        {
            if (DateTimeOffset.TryParseExact(value, format, CultureInfo.InvariantCulture, Styles, out date)) return true;
        }
        return DateTimeOffset.TryParseExact(value, "dddd, dd-MMM-yy HH:mm:ss 'GMT'", Rfc850Culture(), Styles, out date);
    }

    /// <summary>
    /// rfc850-date has a two-digit year; a year that would be more than 50 years in the future means the most
    /// recent past year with those digits (§5.6.7). The invariant calendar's fixed 2049 pivot is not that rule.
    /// </summary>
    private static CultureInfo Rfc850Culture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.Calendar.TwoDigitYearMax = DateTime.UtcNow.Year + 50;
        return culture;
    }
}
