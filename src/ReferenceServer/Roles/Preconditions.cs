using Microsoft.Extensions.Primitives;

namespace Conformance.ReferenceServer.Roles;

/// <summary>
/// RFC 9110 §13.2.2 steps 1-4 for any representation, given its current validators (a null ETag means the
/// resource has no current representation). The ranges, negotiated and writable roles share it; the
/// validators role keeps its own copy in Conditional.cs, which was written first and is pinned by its tests.
/// </summary>
internal static class Preconditions
{
    /// <summary>200 to go on, 304 or 412 to stop.</summary>
    public static int Evaluate(HttpRequest request, string? etag, DateTimeOffset? lastModified)
    {
        var headers = request.Headers;
        var getOrHead = request.Method is "GET" or "HEAD";

        // Step 1: If-Match, strong comparison; "*" is true only when a current representation exists (§13.1.1).
        if (headers.IfMatch.Count > 0)
        {
            if (!ListMatches(headers.IfMatch, etag, weak: false)) return StatusCodes.Status412PreconditionFailed;
        }
        // Step 2: If-Unmodified-Since, only without If-Match, ignored unless one valid HTTP-date (§13.1.4).
        else if (lastModified is { } lm && TryParseSingleDate(headers.IfUnmodifiedSince, out var ius) && lm > ius)
        {
            return StatusCodes.Status412PreconditionFailed;
        }

        // Step 3: If-None-Match, weak comparison (§13.1.2).
        if (headers.IfNoneMatch.Count > 0)
        {
            if (ListMatches(headers.IfNoneMatch, etag, weak: true))
                return getOrHead ? StatusCodes.Status304NotModified : StatusCodes.Status412PreconditionFailed;
        }
        // Step 4: If-Modified-Since, GET/HEAD only, only without If-None-Match (§13.1.3).
        else if (getOrHead && lastModified is { } lm2 && TryParseSingleDate(headers.IfModifiedSince, out var ims) && lm2 <= ims)
        {
            return StatusCodes.Status304NotModified;
        }
        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// Step 5 (§13.1.5): whether a Range may be applied. An entity-tag matches only by strong comparison (a weak
    /// tag never does); a date only when it equals Last-Modified exactly.
    /// </summary>
    public static bool IfRangeHolds(string? ifRange, string etag, DateTimeOffset lastModified)
    {
        if (ifRange is null) return true;
        var value = ifRange.Trim(' ', '\t');
        // "A valid entity-tag can be distinguished from a valid HTTP-date by examining the first three characters for a DQUOTE."
        if (value.Length >= 1 && value[..Math.Min(3, value.Length)].Contains('"', StringComparison.Ordinal))
            return !value.StartsWith("W/", StringComparison.Ordinal) && string.Equals(value, etag, StringComparison.Ordinal);
        return HttpDate.TryParse(value, out var date) && date == lastModified;
    }

    /// <summary>
    /// Whether a field value (all its lines, as one list) matches the current ETag. "*" matches when a current
    /// representation exists. A member that is not an entity-tag makes the field invalid: no match.
    /// </summary>
    public static bool ListMatches(StringValues lines, string? etag, bool weak)
    {
        var value = string.Join(",", lines.Where(l => l is not null));
        if (value.Trim(' ', '\t') == "*") return etag is not null;
        if (etag is null) return false;
        var current = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        var currentIsWeak = etag.Length != current.Length;
        var i = 0;
        while (true)
        {
            while (i < value.Length && value[i] is ' ' or '\t' or ',') i++;
            if (i == value.Length) return false;
            var isWeak = string.CompareOrdinal(value, i, "W/", 0, 2) == 0;
            if (isWeak) i += 2;
            if (i >= value.Length || value[i] != '"') return false;
            var close = value.IndexOf('"', i + 1);
            if (close < 0) return false;
            var opaque = value.AsSpan(i, close - i + 1);
            foreach (var c in opaque[1..^1])
            {
                if (c is < '\x21' or '\x7f' or > '\xff') return false;
            }
            // Strong comparison: both strong and identical; weak comparison: opaque tags identical (§8.8.3.2).
            if (opaque.SequenceEqual(current) && (weak || (!isWeak && !currentIsWeak))) return true;
            i = close + 1;
            while (i < value.Length && value[i] is ' ' or '\t') i++;
            if (i < value.Length && value[i] != ',') return false;
        }
    }

    private static bool TryParseSingleDate(StringValues lines, out DateTimeOffset date)
    {
        date = default;
        return lines.Count == 1 && lines[0] is { } value && HttpDate.TryParse(value, out date);
    }

    /// <summary>Date (whole seconds), Cache-Control and Expires from the very Date value sent, so they agree exactly.</summary>
    public static void WriteFreshness(HttpContext ctx, int maxAgeSeconds)
    {
        var headers = ctx.Response.Headers;
        var now = DateTimeOffset.UtcNow;
        var date = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        headers.Date = Http.ImfFixdate(date);
        headers.CacheControl = $"max-age={maxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        headers.Expires = Http.ImfFixdate(date.AddSeconds(maxAgeSeconds));
    }
}
