using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.FaultServer;

namespace Conformance.Harness.Tests.Behaviours;

/// <summary>
/// Conformant handlers for the caching, preconditions and ranges areas on the fault server: a validators resource
/// evaluating every precondition of RFC 9110 §13.2.2, a byte-range resource (§14), a negotiated resource (§12.5.5)
/// and a writable folder (§9.3.4). A fault test replaces one handler, or one of the hooks below, and runs the real
/// fixture case, so the failure follows from that one broken behaviour.
/// </summary>
public static class CoverageServer
{
    public const string ETag = "\"c1-abc\"";
    public const string RangesETag = "\"r1-def\"";
    public const string LastModified = "Mon, 01 Jan 2024 00:00:00 GMT";
    public const string Boundary = "THIS_IS_THE_BOUNDARY";

    private static readonly DateTimeOffset Modified = DateTimeOffset.Parse(LastModified, CultureInfo.InvariantCulture);

    /// <summary>128 bytes, every 16-byte row different, so a wrong offset shows.</summary>
    public static readonly byte[] RangeContent = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 8).Select(n => $"row {n}: abcdefg\n")));

    public static TargetProfile Profile(Func<ProfileRoles, ProfileRoles>? adjust = null)
        => BehaviourServer.Profile(r =>
        {
            var roles = r with
            {
                Ranges = new PathRole { Path = "/r" },
                Negotiated = new NegotiatedRole { Path = "/n", Field = "Accept-Language", Values = ["en", "fr"] },
                Writable = new PathRole { Path = "/w/" },
            };
            return adjust is null ? roles : adjust(roles);
        });

    public static Harness.Tests.FaultServer.FaultServer Start(Behaviour? behaviour = null)
    {
        behaviour ??= new Behaviour();
        var server = BehaviourServer.Start();
        server.Map("/v", r => Validators(r, behaviour));
        server.Map("/r", r => Ranges(r, behaviour));
        server.Map("/n", r => Negotiated(r, behaviour));
        server.Map("/cset", _ =>
        {
            var response = BehaviourServer.SetCookies($"sid={BehaviourServer.SessionValue}; Path=/; HttpOnly; SameSite=Lax");
            if (behaviour.CookieCacheControl is { } cc) response.Headers.Add(new("Cache-Control", cc));
            return response;
        });
        var store = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        server.Fallback = r => r.Path.StartsWith("/w/", StringComparison.Ordinal) ? Writable(r, store, behaviour) : null;
        return server;
    }

    /// <summary>The freshness fields of every 2xx/304 (Cache-Control, Expires = now + 60 s), changeable by a fault.</summary>
    public static List<KeyValuePair<string, string>> Freshness(Behaviour b, string etag)
    {
        List<KeyValuePair<string, string>> fields =
        [
            new("ETag", etag),
            new("Cache-Control", b.CacheControl),
            new("Expires", b.Expires ?? DateTimeOffset.UtcNow.AddSeconds(60).ToString("r", CultureInfo.InvariantCulture)),
            new("Vary", b.ValidatorsVary),
            new("Content-Location", "/v"),
        ];
        if (b.Age is { } age) fields.Add(new("Age", age));
        return fields;
    }

    private static FaultResponse Validators(FaultRequest r, Behaviour b)
    {
        var status = Evaluate(r, ETag, Modified, b);
        if (status == 412) return FaultResponse.Text(412, "Precondition Failed", "precondition failed");
        if (status == 304) return new FaultResponse { Status = 304, Reason = "Not Modified", Headers = Freshness(b, ETag) };
        var ok = FaultResponse.Text(200, "OK", "validated content");
        ok.Headers.AddRange(Freshness(b, ETag));
        ok.Headers.Add(new("Last-Modified", LastModified));
        return ok;
    }

    /// <summary>RFC 9110 §13.2.2 steps 1-4; a null <paramref name="etag"/> means no current representation.</summary>
    public static int Evaluate(FaultRequest r, string? etag, DateTimeOffset? modified, Behaviour b)
    {
        var getOrHead = r.Method is "GET" or "HEAD";
        if (b.IfNoneMatchFirst && r.Header("If-None-Match") is { } first && Matches(first, etag, weak: true)) return getOrHead ? 304 : 412;
        var im = r.Header("If-Match");
        if (im is not null && !Matches(im, etag, weak: b.WeakIfMatch)) return 412;
        if ((im is null || b.IusEvenWithIfMatch) && modified is { } m && r.Header("If-Unmodified-Since") is { } ius)
        {
            var valid = TryDate(ius, out var since);
            if ((valid && m > since) || (!valid && b.InvalidIusFails)) return 412;
        }
        if (r.Header("If-None-Match") is { } inm)
        {
            if (Matches(inm, etag, weak: true)) return getOrHead ? 304 : 412;
        }
        else if (getOrHead && modified is { } m2 && r.Header("If-Modified-Since") is { } ims && TryDate(ims, out var date) && m2 <= date)
        {
            return 304;
        }
        return 200;
    }

    private static bool TryDate(string value, out DateTimeOffset date)
        => DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);

    private static bool Matches(string value, string? etag, bool weak)
    {
        if (value.Trim() == "*") return etag is not null;
        if (etag is null) return false;
        return value.Split(',').Select(t => t.Trim()).Any(t => weak ? Strip(t) == Strip(etag) : t == etag && !t.StartsWith("W/", StringComparison.Ordinal));
    }

    private static string Strip(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static FaultResponse Ranges(FaultRequest r, Behaviour b)
    {
        var status = Evaluate(r, RangesETag, Modified, b);
        if (status == 412) return FaultResponse.Text(412, "Precondition Failed", "precondition failed");
        var fields = Freshness(b, RangesETag);
        if (b.AcceptRanges is { } ar) fields.Add(new("Accept-Ranges", ar));
        if (status == 304) return new FaultResponse { Status = 304, Reason = "Not Modified", Headers = fields };
        fields.Add(new("Last-Modified", LastModified));
        if (r.Method == "POST") return FaultResponse.Text(b.RangeOnPost && r.Header("Range") is not null ? 206 : 200, "OK", "accepted");
        var whole = new FaultResponse { Status = 200, Reason = "OK", Headers = [new("Content-Type", "text/plain"), .. fields], Body = RangeContent };
        var range = r.Header("Range");
        var rangeApplies = r.Method == "GET" || (b.RangeOnHead && r.IsHead);
        if (range is null || !rangeApplies || !IfRangeHolds(r.Header("If-Range"), b)) return whole;
        if (!range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return whole;
        var specs = Satisfiable(range[6..], RangeContent.Length);
        if (specs is null) return whole;
        if (specs.Count == 0)
        {
            var unsatisfied = FaultResponse.Text(416, "Range Not Satisfiable", "no");
            if (!b.No416ContentRange) unsatisfied.Headers.Add(new("Content-Range", $"bytes */{RangeContent.Length}"));
            return unsatisfied;
        }
        fields.Insert(0, new("Content-Type", "text/plain"));
        if (specs.Count == 1 && !b.MultipartForSingleRange)
        {
            var (first, last) = ((int)specs[0].First, (int)specs[0].Last);
            var data = RangeContent[first..(last + 1)];
            if (b.ShiftRangeBytes) data = RangeContent[(first + 1)..(last + 2)];
            fields.Add(new("Content-Range", $"bytes {first}-{last}/{RangeContent.Length + (b.WrongCompleteLength ? 1 : 0)}"));
            return new FaultResponse { Status = 206, Reason = "Partial Content", Headers = fields, Body = data };
        }
        fields.RemoveAt(0);
        fields.Insert(0, new("Content-Type", $"multipart/byteranges; boundary={Boundary}"));
        if (b.ContentRangeOnMultipart) fields.Add(new("Content-Range", $"bytes {specs[0].First}-{specs[0].Last}/{RangeContent.Length}"));
        var body = new StringBuilder();
        foreach (var s in specs)
        {
            body.Append("\r\n--").Append(Boundary).Append("\r\n");
            if (!b.PartsWithoutContentType) body.Append("Content-Type: text/plain\r\n");
            body.Append($"Content-Range: bytes {s.First}-{s.Last}/{RangeContent.Length}\r\n\r\n");
            body.Append(Encoding.Latin1.GetString(RangeContent, (int)s.First, (int)(s.Last - s.First + 1)));
        }
        body.Append("\r\n--").Append(Boundary).Append("--\r\n");
        return new FaultResponse { Status = 206, Reason = "Partial Content", Headers = fields, Body = Encoding.Latin1.GetBytes(body.ToString()) };
    }

    /// <summary>
    /// The satisfiable byte ranges of a range-set (RFC 9110 §14.1.2), null when invalid. Written here on its own,
    /// not borrowed from the harness, so a bug in the harness's parser cannot agree with itself.
    /// </summary>
    private static List<(long First, long Last)>? Satisfiable(string set, long length)
    {
        var result = new List<(long, long)>();
        foreach (var spec in set.Split(',').Select(x => x.Trim()))
        {
            var parts = spec.Split('-');
            if (parts.Length != 2) return null;
            if (parts[0].Length == 0)
            {
                if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
                if (n > 0) result.Add((Math.Max(0, length - n), length - 1));
                continue;
            }
            if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)) return null;
            var last = length - 1;
            if (parts[1].Length > 0)
            {
                if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l < first) return null;
                last = Math.Min(l, length - 1);
            }
            if (first < length) result.Add((first, last));
        }
        return result;
    }

    /// <summary>§13.1.5: an entity-tag matches by strong comparison only; a date only when it equals Last-Modified.</summary>
    private static bool IfRangeHolds(string? ifRange, Behaviour b)
    {
        if (ifRange is null || b.IgnoreIfRange) return true;
        if (ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal))
            return b.WeakIfRange ? Strip(ifRange) == RangesETag : ifRange == RangesETag;
        return ifRange == LastModified;
    }

    private static FaultResponse Negotiated(FaultRequest r, Behaviour b)
    {
        var french = (r.Header("Accept-Language") ?? "").StartsWith("fr", StringComparison.OrdinalIgnoreCase);
        var etag = french ? "\"fr-1\"" : "\"en-1\"";
        var fields = Freshness(b, etag);
        fields.RemoveAll(f => f.Key is "Vary" or "Content-Location");
        if (b.NegotiatedVary is { } vary) fields.Add(new("Vary", vary));
        if (r.Header("If-None-Match") is { } inm && Matches(inm, etag, weak: true))
            return new FaultResponse { Status = 304, Reason = "Not Modified", Headers = b.Drop304Vary ? [.. fields.Where(f => f.Key != "Vary")] : fields };
        var ok = FaultResponse.Text(200, "OK", french ? "bonjour" : "hello");
        ok.Headers.AddRange(fields);
        return ok;
    }

    private static FaultResponse Writable(FaultRequest r, ConcurrentDictionary<string, byte[]> store, Behaviour b)
    {
        store.TryGetValue(r.Path, out var current);
        var etag = current is null ? null : "\"w-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(current))[..8] + "\"";
        if (r.Method != "PUT" && current is null) return FaultResponse.Text(404, "Not Found", "not found");
        var status = b.IgnorePutPreconditions ? 200 : Evaluate(r, etag, null, b);
        if (status == 412) return FaultResponse.Text(412, "Precondition Failed", "precondition failed");
        if (r.Method == "PUT")
        {
            store[r.Path] = r.Body;
            return current is null ? FaultResponse.Text(201, "Created", "created") : new FaultResponse { Status = 204, Reason = "No Content" };
        }
        var ok = new FaultResponse { Status = 200, Reason = "OK", Body = current!, Headers = [new("ETag", etag!)] };
        return ok;
    }

    /// <summary>The behaviours a fault test can break; the defaults are conformant.</summary>
    public sealed class Behaviour
    {
        public string CacheControl { get; set; } = "max-age=60";
        public string? Expires { get; set; }
        public string? Age { get; set; }
        public string ValidatorsVary { get; set; } = "Accept-Encoding";
        public string? NegotiatedVary { get; set; } = "Accept-Language";
        public string? CookieCacheControl { get; set; } = "no-store";
        public string? AcceptRanges { get; set; } = "bytes";
        public bool Drop304Vary { get; set; }
        public bool WeakIfMatch { get; set; }
        public bool RangeOnHead { get; set; }
        public bool RangeOnPost { get; set; }
        public bool IgnoreIfRange { get; set; }
        public bool WeakIfRange { get; set; }
        public bool No416ContentRange { get; set; }
        public bool MultipartForSingleRange { get; set; }
        public bool ShiftRangeBytes { get; set; }
        public bool WrongCompleteLength { get; set; }
        public bool ContentRangeOnMultipart { get; set; }
        public bool PartsWithoutContentType { get; set; }
        public bool IgnorePutPreconditions { get; set; }
        public bool IusEvenWithIfMatch { get; set; }
        public bool InvalidIusFails { get; set; }
        public bool IfNoneMatchFirst { get; set; }
    }
}
