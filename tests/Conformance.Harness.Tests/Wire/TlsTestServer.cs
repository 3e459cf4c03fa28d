using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Conformance.Harness.Tests.Wire;

/// <summary>
/// An in-process HTTPS server for the TLS tests. It reads each client's first TLS record itself, before
/// the handshake, so a test sees from the server's side exactly which ALPN protocols and SNI name the
/// client offered; then it completes the handshake with <see cref="SslStream"/> and answers every request
/// head with a small 200, keeping the decrypted request bytes it received.
/// </summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly X509Certificate2 certificate;
    private readonly Task accepting;

    public TlsTestServer(X509Certificate2 certificate)
    {
        this.certificate = certificate;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>What each client offered in its ClientHello, in connection order.</summary>
    public ConcurrentQueue<ClientHello> Hellos { get; } = new();

    /// <summary>Every decrypted byte the clients sent after their handshakes, per connection.</summary>
    public ConcurrentQueue<byte[]> Requests { get; } = new();

    /// <summary>A server certificate for <paramref name="names"/> (DNS names or IP addresses), self-signed, valid today.</summary>
    public static X509Certificate2 Certificate(string subject, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes the certificate (without its key) as PEM: what --ca reads.</summary>
    public static string WritePem(X509Certificate2 certificate, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"ca-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var network = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var first = await ReadRecordAsync(network);
            Hellos.Enqueue(ClientHello.Parse(first));
            await using var tls = new SslStream(new PrefixedStream(first, network));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                // The server would rather speak h2: only a client that offers http/1.1 alone gets http/1.1 for sure.
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            }, stop.Token);
            var received = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = await tls.ReadAsync(buffer, stop.Token)) > 0)
            {
                received.Write(buffer, 0, n);
                var data = received.GetBuffer().AsSpan(0, (int)received.Length);
                if (data.IndexOf("\r\n\r\n"u8) < 0) continue;
                Requests.Enqueue(data.ToArray());
                received.SetLength(0);
                var date = DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture);
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nDate: {date}\r\nServer: tls-test\r\nContent-Length: 2\r\n\r\nok"), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException or InvalidDataException)
        {
            // A client that refused our certificate ends the handshake: that is what those tests want to see.
        }
    }

    /// <summary>One whole TLS record: the 5-byte header, then as many bytes as it announces.</summary>
    private async Task<byte[]> ReadRecordAsync(Stream stream)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, stop.Token);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3));
        var record = new byte[5 + length];
        header.CopyTo(record, 0);
        await stream.ReadExactlyAsync(record.AsMemory(5), stop.Token);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    /// <summary>What a ClientHello offered: its SNI host name and its ALPN protocol list (RFC 6066 §3, RFC 7301 §3.1).</summary>
    public sealed record ClientHello(string? ServerName, IReadOnlyList<string> Alpn)
    {
        public static ClientHello Parse(byte[] record)
        {
            if (record.Length < 9 || record[0] != 22 || record[5] != 1) throw new InvalidDataException("not a TLS handshake record holding a ClientHello");
            var p = 9 + 2 + 32;                       // handshake header, client_version, random
            p += 1 + record[p];                       // session_id
            p += 2 + BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(p)); // cipher_suites
            p += 1 + record[p];                       // compression_methods
            var end = p + 2 + BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(p));
            p += 2;
            string? sni = null;
            var alpn = new List<string>();
            while (p + 4 <= end)
            {
                var type = BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(p));
                var length = BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(p + 2));
                var data = record.AsSpan(p + 4, length);
                if (type == 0) sni = Encoding.ASCII.GetString(data.Slice(5, BinaryPrimitives.ReadUInt16BigEndian(data[3..])));
                if (type == 16)
                {
                    for (var q = 2; q < data.Length; q += 1 + data[q]) alpn.Add(Encoding.ASCII.GetString(data.Slice(q + 1, data[q])));
                }
                p += 4 + length;
            }
            return new ClientHello(sni, alpn);
        }
    }

    /// <summary>Gives back the bytes already read (the ClientHello) before reading on from the socket.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<byte> buffer)
        {
            if (offset >= prefix.Length) return inner.Read(buffer);
            var n = Math.Min(buffer.Length, prefix.Length - offset);
            prefix.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (offset >= prefix.Length) return await inner.ReadAsync(buffer, cancellationToken);
            var n = Math.Min(buffer.Length, prefix.Length - offset);
            prefix.AsMemory(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int index, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(index, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int index, int count) => inner.Write(buffer, index, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int index, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, index, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
