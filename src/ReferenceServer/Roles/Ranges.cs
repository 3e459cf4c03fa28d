using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// The "ranges" role: /static/ranged.txt, a fixed representation that answers byte-range requests (RFC 9110
/// §14) after the preconditions of §13.2.2, If-Range included. Coded here rather than delegated to ASP.NET
/// Core's static files so every choice is the RFC's and visible in one place.
/// </summary>
internal static class Ranges
{
    public const string Path = "/static/ranged.txt";
    public const int MaxAgeSeconds = 60;

    /// <summary>More range-specs than this in one Range field is treated as abuse and the field ignored (§14.2, §17.15).</summary>
    private const int MaxRangeSpecs = 16;

    /// <summary>Never occurs in <see cref="Content"/>, so it can delimit the parts of a multipart/byteranges body.</summary>
    public const string Boundary = "CONFORMANCE_BYTERANGES";

    /// <summary>Eight numbered lines (264 bytes): every slice differs from its neighbours, so a wrong offset shows.</summary>
    public static readonly byte[] Content = Encoding.ASCII.GetBytes(string.Concat(
        Enumerable.Range(0, 8).Select(n => string.Create(CultureInfo.InvariantCulture, $"line {n}: abcdefghijklmnopqrstuvw\n"))));

    public static readonly string ETag = "\"r-" + Convert.ToHexStringLower(SHA256.HashData(Content))[..16] + "\"";

    public static readonly DateTimeOffset LastModified = new(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Map(WebApplication app) =>
        // POST is allowed (and harmless) so that "a Range on a method other than GET is ignored" can be shown.
        app.MapResource(Path, ["GET", "HEAD", "POST"], HandleAsync);

    private static Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var status = Preconditions.Evaluate(request, ETag, LastModified);
        if (status == StatusCodes.Status412PreconditionFailed) return Http.WriteTextAsync(ctx, status, "precondition failed\n");
        // §14.2: GET is the only method for which range handling is defined; the Range of any other is ignored.
        if (!Http.IsGetOrHead(ctx)) return Http.WriteTextAsync(ctx, 200, "accepted; the representation is unchanged\n");

        WriteMetadata(ctx);
        if (status == StatusCodes.Status304NotModified)
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Headers.LastModified = Http.ImfFixdate(LastModified);

        var range = request.Headers.Range.Count == 1 ? request.Headers.Range[0] : null;
        if (request.Method != "GET" || range is null || !Preconditions.IfRangeHolds(IfRange(request), ETag, LastModified))
            return Http.WriteAsync(ctx, 200, Http.TextPlain, Content);

        var specs = ParseByteRanges(range, Content.Length);
        if (specs is null) return Http.WriteAsync(ctx, 200, Http.TextPlain, Content);
        if (specs.Count == 0)
        {
            // §15.5.17: a 416 to a byte-range request says the current length.
            ctx.Response.Headers.ContentRange = $"bytes */{Content.Length}";
            return Http.WriteTextAsync(ctx, StatusCodes.Status416RangeNotSatisfiable, "range not satisfiable\n");
        }
        if (specs.Count == 1)
        {
            var (first, last) = specs[0];
            ctx.Response.Headers.ContentRange = ContentRange(first, last);
            return Http.WriteAsync(ctx, StatusCodes.Status206PartialContent, Http.TextPlain, Content.AsMemory(first, last - first + 1));
        }
        return Http.WriteAsync(ctx, StatusCodes.Status206PartialContent, $"multipart/byteranges; boundary={Boundary}", Multipart(specs));
    }

    private static string? IfRange(HttpRequest request) => request.Headers.IfRange.Count == 1 ? request.Headers.IfRange[0] : null;

    /// <summary>The fields a 206 and a 304 repeat from the 200 (§15.3.7, §15.4.5).</summary>
    private static void WriteMetadata(HttpContext ctx)
    {
        Preconditions.WriteFreshness(ctx, MaxAgeSeconds);
        ctx.Response.Headers.ETag = ETag;
        ctx.Response.Headers.AcceptRanges = "bytes";
    }

    private static string ContentRange(int first, int last) => string.Create(CultureInfo.InvariantCulture, $"bytes {first}-{last}/{Content.Length}");

    /// <summary>
    /// The satisfiable ranges of a "bytes" Range field, in request order (§14.1.2): empty when none is
    /// satisfiable, null when the field is to be ignored (another unit, invalid syntax, or too many specs).
    /// </summary>
    internal static List<(int First, int Last)>? ParseByteRanges(string value, int length)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        // Range units are case-insensitive (§14.1); an origin MUST ignore a unit it does not understand (§14.2).
        if (eq < 0 || !value[..eq].Equals("bytes", StringComparison.OrdinalIgnoreCase)) return null;
        var specs = value[(eq + 1)..].Split(',').Select(s => s.Trim(' ', '\t')).Where(s => s.Length > 0).ToList();
        if (specs.Count == 0 || specs.Count > MaxRangeSpecs) return null;
        var result = new List<(int, int)>();
        foreach (var spec in specs)
        {
            var dash = spec.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0) return null;
            var firstText = spec[..dash];
            var lastText = spec[(dash + 1)..];
            if (firstText.Length == 0)
            {
                // suffix-range = "-" suffix-length; a zero suffix-length is valid but never satisfiable.
                if (!TryDigits(lastText, out var suffix)) return null;
                if (suffix > 0) result.Add(((int)Math.Max(0, length - suffix), length - 1));
                continue;
            }
            if (!TryDigits(firstText, out var first)) return null;
            long last = length - 1;
            if (lastText.Length > 0)
            {
                if (!TryDigits(lastText, out var given)) return null;
                // An int-range is invalid if the last-pos value is present and less than the first-pos (§14.1.1).
                if (given < first) return null;
                last = Math.Min(given, length - 1);
            }
            if (first < length) result.Add(((int)first, (int)last));
        }
        return result;
    }

    private static bool TryDigits(string text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 18 || !text.All(char.IsAsciiDigit)) return false;
        value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>§14.6: each part has its Content-Type and Content-Range, parts in the order requested (none coalesced).</summary>
    private static byte[] Multipart(List<(int First, int Last)> specs)
    {
        using var body = new MemoryStream();
        foreach (var (first, last) in specs)
        {
            body.Write(Encoding.ASCII.GetBytes($"\r\n--{Boundary}\r\nContent-Type: {Http.TextPlain}\r\nContent-Range: {ContentRange(first, last)}\r\n\r\n"));
            body.Write(Content, first, last - first + 1);
        }
        body.Write(Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        return body.ToArray();
    }
}
