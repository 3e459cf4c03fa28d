using System.Text;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Reads and validates one request head exactly by RFC 9112 §2-§5 and RFC 9110 §5, §7.2. Anything the grammar
/// does not allow is refused (a <see cref="RequestRefusedException"/>), never repaired or guessed at: where the RFC
/// lets a recipient choose between rejecting and tolerating, this server rejects, because a tolerated variant is
/// what lets two recipients read one message two ways.
/// </summary>
internal sealed class RequestHeadParser(StrictOriginOptions options)
{
    /// <summary>
    /// "It is RECOMMENDED that all HTTP senders and recipients support, at a minimum, request-line lengths of 8000
    /// octets" (RFC 9112 §3): targets up to this many bytes are parsed, longer ones get 414.
    /// </summary>
    public const int MaxTargetBytes = 8192;

    /// <summary>Room for the longest target, a method and the version; a longer line is not read whole.</summary>
    public const int MaxRequestLineBytes = 2 * MaxTargetBytes;

    /// <summary>The whole header section; past it, 431 (RFC 6585 §5).</summary>
    public const int MaxHeaderSectionBytes = 32 * 1024;

    public const int MaxFieldLines = 100;

    /// <summary>The request's method once its request-line was read this far (a refusal of a HEAD carries no content).</summary>
    public string? Method { get; private set; }

    /// <summary>
    /// Reads one request head. Null when the connection ended (or idled out) before a request began, which is
    /// no request and gets no answer.
    /// </summary>
    public async Task<RequestHead?> ReadAsync(ConnectionReader reader, TimeSpan idle, TimeSpan headBound, CancellationToken ct)
    {
        using var idleBound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idleBound.CancelAfter(idle);
        try
        {
            if (!await reader.WaitForDataAsync(idleBound.Token).ConfigureAwait(false)) return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(headBound);
        try
        {
            return await ReadHeadAsync(reader, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // RFC 9110 §15.5.9: the server would not wait longer for the request it had begun to receive.
            throw new RequestRefusedException(408, "the request head did not arrive in time");
        }
    }

    private async Task<RequestHead?> ReadHeadAsync(ConnectionReader reader, CancellationToken ct)
    {
        var sectionBytes = 0;
        byte[] requestLine;
        while (true)
        {
            var (line, end) = await reader.ReadLineAsync(MaxRequestLineBytes, ct).ConfigureAwait(false);
            if (end == LineEnd.Closed) return null;
            if (end == LineEnd.TooLong) throw OverLongRequestLine(line);
            RequireCrLf(end, "request-line");
            sectionBytes += line.Length + 2;
            // RFC 9112 §2.2: "a server that is expecting to receive and parse a request-line SHOULD ignore at least
            // one empty line (CRLF) received prior to the request-line". Any number is ignored, within the bound of
            // the header section.
            if (line.Length > 0)
            {
                requestLine = line;
                break;
            }
            if (sectionBytes > MaxHeaderSectionBytes) throw new RequestRefusedException(400, "only empty lines where a request-line belongs");
        }

        var (method, rawTarget, minor) = ParseRequestLine(requestLine);
        var fields = new List<(string Name, string Value)>();
        while (true)
        {
            var (line, end) = await reader.ReadLineAsync(MaxHeaderSectionBytes, ct).ConfigureAwait(false);
            if (end == LineEnd.Closed) return null;
            sectionBytes += line.Length + 2;
            // RFC 6585 §5: 431 when the header section (or one field) is larger than the server will process.
            if (end == LineEnd.TooLong || sectionBytes > MaxHeaderSectionBytes)
                throw new RequestRefusedException(431, "the header section is larger than this server processes");
            RequireCrLf(end, "field line");
            if (line.Length == 0) break;
            if (options.ReplaceCrAndNulWithSp) ReplaceCrAndNul(line);
            if (options.ReplaceObsFold && Grammar.IsWhitespace(line[0]))
            {
                // §2.2: a whitespace-led line before the first field is consumed without processing; §5.2: an obs-fold
                // becomes SP, joining the continuation to the previous field's value.
                if (fields.Count > 0)
                {
                    var continuation = ParseFieldValue(line, 0);
                    var (name, value) = fields[^1];
                    fields[^1] = (name, continuation.Length == 0 ? value : value + " " + continuation);
                }
                continue;
            }
            fields.Add(ParseFieldLine(line, isFirst: fields.Count == 0));
            if (fields.Count > MaxFieldLines) throw new RequestRefusedException(431, "more field lines than this server processes");
        }

        var head = BuildHead(method, rawTarget, minor, fields);
        return head;
    }

    /// <summary>
    /// RFC 9112 §2.2: "a recipient MAY recognize a single LF as a line terminator and ignore any preceding CR".
    /// MAY, not MUST: this server recognises only CRLF, so a bare LF makes the message invalid (400).
    /// </summary>
    private void RequireCrLf(LineEnd end, string what)
    {
        if (end == LineEnd.BareLf && !options.AcceptBareLf) throw new RequestRefusedException(400, $"a {what} ends in a bare LF, not CRLF");
    }

    /// <summary>
    /// A request-line longer than this server reads: RFC 9112 §3 "A server that receives a request-target longer
    /// than any URI it wishes to parse MUST respond with a 414 (URI Too Long) status code". When the bytes read so
    /// far are not even a method and the start of a target, the line is just invalid (400).
    /// </summary>
    private static RequestRefusedException OverLongRequestLine(byte[] prefix)
    {
        var sp = Array.IndexOf(prefix, (byte)' ');
        return sp > 0 && Grammar.IsToken(prefix.AsSpan(0, sp)) && sp + 1 < prefix.Length && prefix[sp + 1] != ' '
            ? new RequestRefusedException(414, $"the request-target is longer than the {MaxTargetBytes} bytes this server parses")
            : new RequestRefusedException(400, "an over-long request-line that does not start with a method and a target");
    }

    /// <summary>
    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3), single SPs only: the lenient
    /// whitespace parsing §3 allows (MAY) is not done, since "lenient parsing can result in request smuggling
    /// security vulnerabilities". "Recipients of an invalid request-line SHOULD respond with either a 400".
    /// </summary>
    private (string Method, string Target, int Minor) ParseRequestLine(byte[] line)
    {
        if (options.LenientRequestLineWhitespace) line = NormaliseRequestLineWhitespace(line);
        // RFC 9112 §2.2: a bare CR MUST be considered invalid (or replaced with SP; not done here).
        if (Array.IndexOf(line, (byte)'\r') >= 0) throw new RequestRefusedException(400, "a bare CR in the request-line");
        var first = Array.IndexOf(line, (byte)' ');
        if (first <= 0 || !Grammar.IsToken(line.AsSpan(0, first))) throw new RequestRefusedException(400, "the method is not a token followed by one SP");
        Method = Encoding.ASCII.GetString(line, 0, first);
        var second = Array.IndexOf(line, (byte)' ', first + 1);
        if (second < 0) throw new RequestRefusedException(400, "the request-line has no HTTP-version");
        if (second == first + 1) throw new RequestRefusedException(400, "the request-target is empty (two SPs)");
        var target = Encoding.Latin1.GetString(line, first + 1, second - first - 1);
        var version = Encoding.Latin1.GetString(line, second + 1, line.Length - second - 1);

        // HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name = %s"HTTP", case-sensitive (RFC 9112 §2.3).
        if (version.Length != 8 || !version.StartsWith("HTTP/", StringComparison.Ordinal) || !char.IsAsciiDigit(version[5])
            || version[6] != '.' || !char.IsAsciiDigit(version[7]))
            throw new RequestRefusedException(400, "the HTTP-version is not HTTP/DIGIT.DIGIT");
        // RFC 9110 §15.6.6: 505 when the server does not support the major version of the request.
        if (version[5] != '1') throw new RequestRefusedException(505, $"this server speaks HTTP/1.x, not {version}");
        // RFC 9110 §6.2: a higher minor version of 1.x is processed as the highest this server conforms to (1.1).
        var minor = version[7] == '0' ? 0 : 1;

        // RFC 9112 §3: the target has no whitespace; anything but the URI characters makes it invalid (§3.2).
        if (target.Length > MaxTargetBytes) throw new RequestRefusedException(414, $"the request-target is longer than the {MaxTargetBytes} bytes this server parses");
        return (Method, target, minor);
    }

    /// <summary>
    /// The lenient request-line parsing RFC 9112 §3 allows (see <see cref="StrictOriginOptions.LenientRequestLineWhitespace"/>):
    /// runs of SP, HTAB, VT, FF and bare CR separate the words, and leading or trailing ones are dropped.
    /// </summary>
    private static byte[] NormaliseRequestLineWhitespace(byte[] line)
    {
        static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or 0x0B or 0x0C or (byte)'\r';
        var words = new List<byte[]>();
        for (var i = 0; i < line.Length;)
        {
            while (i < line.Length && IsSeparator(line[i])) i++;
            var start = i;
            while (i < line.Length && !IsSeparator(line[i])) i++;
            if (i > start) words.Add(line[start..i]);
        }
        return [.. words.SelectMany((w, n) => n == 0 ? w : [(byte)' ', .. w])];
    }

    /// <summary>
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).
    /// </summary>
    private static (string Name, string Value) ParseFieldLine(byte[] line, bool isFirst)
    {
        if (Array.IndexOf(line, (byte)'\r') >= 0) throw new RequestRefusedException(400, "a bare CR in a field line (RFC 9112 §2.2)");
        if (Grammar.IsWhitespace(line[0]))
        {
            // RFC 9112 §2.2: whitespace between the start-line and the first field: reject or ignore the line (MUST
            // one of them); §5.2: obs-fold in a request: "MUST either reject the message by sending a 400 (Bad
            // Request) ... or replace each received obs-fold with one or more SP octets". Rejected in both places.
            throw new RequestRefusedException(400, isFirst
                ? "whitespace between the request-line and the first field line"
                : "obsolete line folding (obs-fold) is not accepted");
        }
        var colon = Array.IndexOf(line, (byte)':');
        if (colon < 0) throw new RequestRefusedException(400, "a field line without a colon");
        // RFC 9112 §5.1: "A server MUST reject, with a response status code of 400 (Bad Request), any received
        // request message that contains whitespace between a header field name and colon."
        if (colon > 0 && Grammar.IsWhitespace(line[colon - 1])) throw new RequestRefusedException(400, "whitespace between a field name and its colon");
        if (!Grammar.IsToken(line.AsSpan(0, colon))) throw new RequestRefusedException(400, "a field name that is not a token");
        return (Encoding.ASCII.GetString(line, 0, colon), ParseFieldValue(line, colon + 1));
    }

    /// <summary>The field value after <paramref name="from"/>, without its surrounding OWS, checked against field-content.</summary>
    private static string ParseFieldValue(byte[] line, int from)
    {
        var value = line.AsSpan(from);
        while (!value.IsEmpty && Grammar.IsWhitespace(value[0])) value = value[1..];
        while (!value.IsEmpty && Grammar.IsWhitespace(value[^1])) value = value[..^1];
        foreach (var b in value)
        {
            if (!Grammar.IsFieldValueByte(b))
                throw new RequestRefusedException(400, $"byte 0x{b:X2} is not allowed in a field value (RFC 9110 §5.5)");
        }
        return Encoding.Latin1.GetString(value);
    }

    /// <summary>The replacing branch of RFC 9110 §5.5 and RFC 9112 §2.2 (see <see cref="StrictOriginOptions.ReplaceCrAndNulWithSp"/>).</summary>
    private static void ReplaceCrAndNul(byte[] line)
    {
        for (var i = 0; i < line.Length; i++) if (line[i] is (byte)'\r' or 0) line[i] = (byte)' ';
    }

    private RequestHead BuildHead(string method, string rawTarget, int minor, List<(string Name, string Value)> fields)
    {
        // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message
        // that lacks a Host header field and to any request message that contains more than one Host header field
        // line or a Host header field with an invalid field value."
        var hosts = fields.Where(f => f.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToList();
        if (hosts.Count > 1) throw new RequestRefusedException(400, "more than one Host field line");
        if (hosts.Count == 0 && minor == 1) throw new RequestRefusedException(400, "an HTTP/1.1 request without Host");
        var host = hosts.Count == 1 ? hosts[0] : null;
        if (host is not null && !Grammar.IsHostAndPort(host)) throw new RequestRefusedException(400, "the Host field is not uri-host [ \":\" port ]");

        var (form, path, query, authority) = ParseTarget(method, rawTarget);
        if (form == TargetForm.Absolute)
        {
            if (options.RejectHostDisagreeingWithAbsoluteForm && host is not null && !host.Equals(authority, StringComparison.OrdinalIgnoreCase))
                throw new RequestRefusedException(400, "the Host field disagrees with the absolute-form target (deviation switch)");
            // RFC 9112 §3.2.2: "When an origin server receives a request with an absolute-form of request-target,
            // the origin server MUST ignore the received Host header field (if any) and instead use the host
            // information of the request-target." The application sees that authority as Host.
            fields = [.. fields.Where(f => !f.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)), ("Host", authority)];
        }
        else
        {
            authority = host ?? "";
        }
        return new RequestHead(method, rawTarget, form, path, query, minor, fields) { Authority = authority };
    }

    /// <summary>The four forms of request-target (RFC 9112 §3.2); each is allowed only where that section says.</summary>
    private (TargetForm Form, string Path, string Query, string Authority) ParseTarget(string method, string target)
    {
        if (target == "*")
        {
            // §3.2.4: "The asterisk-form of request-target is only used for a server-wide OPTIONS request".
            if (method != "OPTIONS") throw new RequestRefusedException(400, "the asterisk-form is only for OPTIONS");
            return (TargetForm.Asterisk, "", "", "");
        }
        if (target.StartsWith('/'))
        {
            // §3.2.1: origin-form = absolute-path [ "?" query ].
            if (!Grammar.IsPathAndQuery(target)) throw new RequestRefusedException(400, "the request-target is not a valid absolute-path [ \"?\" query ]");
            var (path, query) = SplitQuery(target);
            return (TargetForm.Origin, path, query, "");
        }
        if (method == "CONNECT")
        {
            // §3.2.3: authority-form = uri-host ":" port, only for CONNECT.
            if (!Grammar.IsHostAndPort(target, portRequired: true)) throw new RequestRefusedException(400, "a CONNECT target that is not uri-host:port");
            return (TargetForm.Authority, "", "", target);
        }
        return ParseAbsoluteForm(target);
    }

    /// <summary>
    /// absolute-form = absolute-URI (§3.2.2), for the "http" and "https" schemes this origin serves. The scheme
    /// and host are case-insensitive (RFC 9110 §4.2.3); userinfo is an error (RFC 9110 §4.2.4: a recipient
    /// "SHOULD parse for userinfo and treat its presence as an error"); an empty host MUST be rejected (§4.2.1).
    /// </summary>
    private (TargetForm, string, string, string) ParseAbsoluteForm(string target)
    {
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(target[0]) || !target[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            throw new RequestRefusedException(400, "the request-target is none of the four forms of RFC 9112 §3.2");
        var scheme = target[..colon];
        var comparison = options.SchemeIsCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (!scheme.Equals("http", comparison) && !scheme.Equals("https", comparison))
            throw new RequestRefusedException(400, $"this origin serves http and https URIs, not \"{scheme}\"");
        var rest = target[(colon + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal)) throw new RequestRefusedException(400, "an http URI without an authority");
        rest = rest[2..];
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var pathAndQuery = pathStart < 0 ? "" : rest[pathStart..];
        if (authority.Contains('@', StringComparison.Ordinal)) throw new RequestRefusedException(400, "userinfo in an http URI");
        if (!Grammar.IsHostAndPort(authority) || authority.Length == 0 || authority[0] == ':')
            throw new RequestRefusedException(400, "the target's authority is empty or not uri-host [ \":\" port ]");
        if (!Grammar.IsPathAndQuery(pathAndQuery)) throw new RequestRefusedException(400, "the target's path or query is not valid");
        // RFC 9110 §4.2.3: an empty path is equivalent to "/".
        if (!pathAndQuery.StartsWith('/')) pathAndQuery = "/" + pathAndQuery;
        var (path, query) = SplitQuery(pathAndQuery);
        return (TargetForm.Absolute, path, query, authority);
    }

    private static (string Path, string Query) SplitQuery(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (pathAndQuery, "") : (pathAndQuery[..q], pathAndQuery[q..]);
    }
}
