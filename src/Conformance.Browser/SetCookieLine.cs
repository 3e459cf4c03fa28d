using System.Globalization;

namespace Conformance.Harness.Browser;

/// <summary>
/// One Set-Cookie line parsed the way a user agent parses it (RFC 6265 §5.2): the name-value pair up to the
/// first ';', attributes after it, names case-insensitive, the last occurrence of an attribute winning. Used
/// to say what the jar should hold, not to judge the grammar (the raw cookie cases do that).
/// </summary>
public sealed record SetCookieLine(string Line, string Name, string Value, IReadOnlyList<KeyValuePair<string, string?>> Attributes)
{
    public static SetCookieLine? Parse(string line)
    {
        var semi = line.IndexOf(';', StringComparison.Ordinal);
        var pair = semi < 0 ? line : line[..semi];
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        // §5.2 step 2: without a '=' the whole line is ignored.
        if (eq < 0) return null;
        var name = pair[..eq].Trim(' ', '\t');
        if (name.Length == 0) return null;
        var value = pair[(eq + 1)..].Trim(' ', '\t');
        var attributes = new List<KeyValuePair<string, string?>>();
        if (semi >= 0)
        {
            foreach (var av in line[(semi + 1)..].Split(';'))
            {
                var aeq = av.IndexOf('=', StringComparison.Ordinal);
                var aname = (aeq < 0 ? av : av[..aeq]).Trim(' ', '\t');
                if (aname.Length == 0) continue;
                attributes.Add(new(aname, aeq < 0 ? null : av[(aeq + 1)..].Trim(' ', '\t')));
            }
        }
        return new SetCookieLine(line, name, value, attributes);
    }

    /// <summary>The last value of an attribute (case-insensitive name), or null when absent; "" for a flag.</summary>
    public string? Attribute(string name)
    {
        for (var i = Attributes.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Attributes[i].Key, name, StringComparison.OrdinalIgnoreCase)) return Attributes[i].Value ?? "";
        }
        return null;
    }

    public bool Has(string name) => Attribute(name) is not null;

    /// <summary>
    /// When the cookie expires, from Max-Age (which wins, §5.3 step 3) or Expires; null for a session cookie.
    /// An attribute that does not parse is ignored, as §5.2.1/§5.2.2 say.
    /// </summary>
    public DateTimeOffset? Expiry(DateTimeOffset receivedAt)
    {
        if (Attribute("Max-Age") is { Length: > 0 } maxAge && (maxAge[0] == '-' || char.IsAsciiDigit(maxAge[0]))
            && long.TryParse(maxAge, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 0 ? DateTimeOffset.MinValue : receivedAt.AddSeconds(Math.Min(seconds, 400L * 24 * 3600));
        }
        if (Attribute("Expires") is { Length: > 0 } expires
            && DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at))
        {
            return at;
        }
        return null;
    }

    /// <summary>The path the cookie is stored with: its Path attribute when it starts with '/', else the default-path (§5.1.4).</summary>
    public string StoredPath(Uri requestUri)
    {
        if (Attribute("Path") is { Length: > 0 } p && p[0] == '/') return p;
        var path = requestUri.AbsolutePath;
        var last = path.LastIndexOf('/');
        return last <= 0 ? "/" : path[..last];
    }
}
