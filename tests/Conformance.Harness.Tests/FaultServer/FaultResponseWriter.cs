using System.Globalization;
using System.Text;

namespace Conformance.Harness.Tests.FaultServer;

/// <summary>Serialises a <see cref="FaultResponse"/> correctly, then breaks the one rule the fault names.</summary>
public static class FaultResponseWriter
{
    /// <returns>The exact bytes to send, and whether the server must close after them (framing by close, or HTTP/1.0).</returns>
    public static (byte[] Bytes, bool CloseAfter) Write(FaultResponse response, FaultRequest request, ResponseFault fault)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        if (response.Raw is not null) return (response.Raw, response.CloseAfterRaw);

        var status = response.Status;
        var reason = response.Reason;
        var body = response.Body;
        var chunked = response.Chunked;
        var http10 = string.Equals(request.Version, "HTTP/1.0", StringComparison.Ordinal);
        var closeAfter = http10 || string.Equals(request.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);

        switch (fault)
        {
            case ResponseFault.ClOn204 or ResponseFault.TeOn204:
                status = 204;
                reason = "No Content";
                body = [];
                break;
            case ResponseFault.ClAndTe or ResponseFault.TeInResponseTo10 or ResponseFault.BadChunkSize or ResponseFault.MissingLastChunk:
                chunked = true;
                break;
        }

        var bodyless = status is >= 100 and < 200 or 204 or 304;
        if (bodyless) body = [];

        var version = fault switch
        {
            ResponseFault.LowercaseHttpName => "http/1.1",
            ResponseFault.BadVersion => "HTTP/1.10",
            ResponseFault.HigherMajorVersion => "HTTP/2.0",
            ResponseFault.DowngradedVersion => "HTTP/1.0",
            _ => "HTTP/1.1",
        };
        var code = status.ToString("D3", CultureInfo.InvariantCulture);
        var statusLine = fault switch
        {
            ResponseFault.TwoDigitStatus => $"{version} {code[..2]} {reason}",
            ResponseFault.NoSpAfterStatusCode => $"{version} {code}",
            ResponseFault.CtlInReason => $"{version} {code} {reason[..1]}\u0001{reason[1..]}",
            _ => $"{version} {code} {reason}",
        };

        var fields = new List<string>();
        switch (fault)
        {
            case ResponseFault.MissingDate: break;
            case ResponseFault.BadDateFormat: fields.Add("Date: Sunday, 06-Nov-94 08:49:37 GMT"); break;
            default: fields.Add($"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}"); break;
        }

        fields.AddRange(response.Headers.Select(h => $"{h.Key}: {h.Value}"));
        fields.Add("Server: FaultServer");

        var content = chunked ? Chunk(body, fault) : body;
        if (fault == ResponseFault.ClOn204) fields.Add("Content-Length: 0");
        if (fault == ResponseFault.TeOn204) fields.Add("Transfer-Encoding: chunked");
        if (!bodyless)
        {
            if (chunked)
            {
                fields.Add("Transfer-Encoding: chunked");
                if (fault == ResponseFault.ClAndTe) fields.Add($"Content-Length: {content.Length}");
            }
            else
            {
                switch (fault)
                {
                    case ResponseFault.ContentLengthTooLong:
                        fields.Add($"Content-Length: {body.Length + 10}");
                        closeAfter = true;
                        break;
                    case ResponseFault.ConflictingContentLength:
                        // Differing values leave only the close to delimit the body.
                        fields.Add($"Content-Length: {body.Length}");
                        fields.Add($"Content-Length: {body.Length + 1}");
                        closeAfter = true;
                        break;
                    default:
                        fields.Add($"Content-Length: {body.Length}");
                        break;
                }
            }
        }

        switch (fault)
        {
            case ResponseFault.SpaceBeforeColon: fields.Add("X-Fault : space-before-colon"); break;
            case ResponseFault.BadFieldName: fields.Add("X-Bad@Name: 1"); break;
            case ResponseFault.ObsFold: fields.Add("X-Folded: first\r\n second"); break;
            case ResponseFault.CtlInFieldValue: fields.Add("X-Ctl: a\u0001b"); break;
            case ResponseFault.BareCr: fields.Add("X-Cr: a\rb"); break;
            case ResponseFault.BadChunkSize or ResponseFault.MissingLastChunk or ResponseFault.BodyOnHead: closeAfter = true; break;
        }

        if (closeAfter) fields.Add("Connection: close");

        var eol = fault == ResponseFault.LfOnlyLines ? "\n" : "\r\n";
        var head = new StringBuilder();
        head.Append(statusLine).Append(eol);
        foreach (var f in fields) head.Append(fault == ResponseFault.LfOnlyLines ? f.Replace("\r\n", "\n", StringComparison.Ordinal) : f).Append(eol);

        if (fault == ResponseFault.NoEmptyLine)
        {
            // Without the empty line nothing can delimit the message but the close.
            return (Encoding.Latin1.GetBytes(head.ToString()), true);
        }

        head.Append(eol);
        var sendBody = !request.IsHead || fault == ResponseFault.BodyOnHead;
        byte[] bytes = [.. Encoding.Latin1.GetBytes(head.ToString()), .. sendBody ? content : []];
        return (bytes, closeAfter);
    }

    private static byte[] Chunk(byte[] body, ResponseFault fault)
    {
        var sb = new StringBuilder();
        var size = fault == ResponseFault.BadChunkSize ? "zz" : body.Length.ToString("x", CultureInfo.InvariantCulture);
        if (body.Length > 0) sb.Append(size).Append(";ext=1\r\n").Append(Encoding.Latin1.GetString(body)).Append("\r\n");
        if (fault != ResponseFault.MissingLastChunk) sb.Append("0\r\nX-Trailer: done\r\n\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }
}
