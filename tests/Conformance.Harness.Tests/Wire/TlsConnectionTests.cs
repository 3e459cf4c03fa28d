using System.Text;
using Conformance.Harness.Servers;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Wire;

/// <summary>
/// The raw client over TLS, against an in-process HTTPS server that reads the ClientHello itself: what the
/// client offers (ALPN exactly http/1.1, SNI the host name), which certificates it accepts and refuses,
/// and that the bytes a case sends reach the server unchanged.
/// </summary>
public sealed class TlsConnectionTests
{
    private static readonly WireOptions Options = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReadTimeout = TimeSpan.FromSeconds(2),
        ResponseDeadline = TimeSpan.FromSeconds(5),
    };

    private static string TempDir() => Directory.CreateTempSubdirectory("tls-test-").FullName;

    [Test]
    public async Task Alpn_offers_exactly_http11_and_sni_names_the_host_seen_from_the_server()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        var trust = TlsClientOptions.FromPemFile(TlsTestServer.WritePem(certificate, TempDir()));

        await using (var byName = await WireConnection.ConnectAsync("localhost", server.Port, Options, CancellationToken.None, trust))
        {
            Assert.That(byName.TlsSession!.Alpn, Is.EqualTo("http/1.1"), "the server prefers h2, but the client offered http/1.1 alone");
            Assert.That(byName.TlsSession.ServerName, Is.EqualTo("localhost"));
        }
        await using (var byAddress = await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, trust))
        {
            Assert.That(byAddress.TlsSession!.ServerName, Is.Null, "RFC 6066 §3: no IP literal in SNI");
        }

        var hellos = server.Hellos.ToList();
        Assert.That(hellos, Has.Count.EqualTo(2));
        Assert.That(hellos[0].Alpn, Is.EqualTo(new[] { "http/1.1" }), "ALPN offers http/1.1 and nothing else (never h2)");
        Assert.That(hellos[0].ServerName, Is.EqualTo("localhost"));
        Assert.That(hellos[1].Alpn, Is.EqualTo(new[] { "http/1.1" }));
        Assert.That(hellos[1].ServerName, Is.Null);
    }

    [Test]
    public async Task The_same_bytes_arrive_over_tls_split_writes_included_and_the_response_is_read_by_its_framing()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        await using var connection = await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, TlsClientOptions.Insecure);
        var head = "GET /a HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: \x01\xff\r\n"u8.ToArray();
        Assert.That(await connection.SendAsync(head, CancellationToken.None), Is.True);
        Assert.That(await connection.SendAsync("\r\n"u8.ToArray(), CancellationToken.None), Is.True);

        var outcome = await connection.ReadResponseAsync(false, CancellationToken.None);

        Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.Response), outcome.Detail);
        Assert.That(outcome.Response!.StatusCode, Is.EqualTo(200));
        Assert.That(Encoding.Latin1.GetString(outcome.Response.Body), Is.EqualTo("ok"));
        Assert.That(server.Requests.Single(), Is.EqualTo(head.Concat("\r\n"u8.ToArray()).ToArray()), "the server decrypts exactly the bytes written");
        // The transcript holds HTTP bytes, never TLS records, and the connect note carries the TLS facts.
        var received = connection.Transcript.Where(e => e.Direction == Direction.Received).SelectMany(e => e.Bytes).ToArray();
        Assert.That(Encoding.Latin1.GetString(received), Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(connection.Transcript[0].Note, Does.StartWith("connected to ").And.Contain("ALPN http/1.1"));
    }

    [Test]
    public async Task A_timed_out_read_loses_nothing_the_next_read_gets_the_late_bytes()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        await using var connection = await WireConnection.ConnectAsync("127.0.0.1", server.Port,
            Options with { ReadTimeout = TimeSpan.FromMilliseconds(150), ResponseDeadline = TimeSpan.FromMilliseconds(150) }, CancellationToken.None, TlsClientOptions.Insecure);

        var nothing = await connection.ReadResponseAsync(false, CancellationToken.None);
        Assert.That(nothing.Kind, Is.EqualTo(ReadOutcomeKind.TimedOut), "no request yet, so no answer");
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), CancellationToken.None);
        var answer = await connection.ReadResponseAsync(false, CancellationToken.None);
        Assert.That(answer.Kind, Is.EqualTo(ReadOutcomeKind.Response), answer.Detail);
    }

    [Test]
    public async Task The_servers_own_certificate_as_ca_is_trusted()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        var pem = TlsTestServer.WritePem(certificate, TempDir());
        await using var connection = await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, TlsClientOptions.FromPemFile(pem));
        var session = connection.TlsSession!;
        Assert.That(session.Protocol, Is.AnyOf("TLS 1.3", "TLS 1.2"));
        Assert.That(session.CipherSuite, Does.StartWith("TLS_"));
        Assert.That(session.CertificateSubject, Is.EqualTo("CN=localhost"));
        Assert.That(session.CertificateSha256, Is.EqualTo(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)));
        Assert.That(session.Trust, Does.Contain(Path.GetFileName(pem)).And.Contain("--ca"));
    }

    [Test]
    public async Task A_wrong_ca_is_refused_naming_why_and_insecure_accepts_the_same_server()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "localhost", "127.0.0.1");
        using var other = TlsTestServer.Certificate("CN=someone-else", "localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        var wrong = TlsClientOptions.FromPemFile(TlsTestServer.WritePem(other, TempDir()));

        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, wrong));
        Assert.That(e!.TlsRefused, Is.True);
        Assert.That(e.Message, Does.Contain("certificate was refused").And.Contain("does not chain to a certificate in").And.Contain("CN=localhost"));
        Assert.That(e.CutByBound, Is.False, "a refused certificate is not a timeout");

        await using var insecure = await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, TlsClientOptions.Insecure);
        Assert.That(insecure.TlsSession!.Trust, Does.Contain("not verified"));
    }

    [Test]
    public async Task A_self_signed_certificate_is_refused_by_the_system_store_with_the_way_out()
    {
        using var certificate = TlsTestServer.Certificate("CN=localhost", "localhost", "127.0.0.1");
        await using var server = new TlsTestServer(certificate);
        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, TlsClientOptions.SystemTrust));
        Assert.That(e!.TlsRefused, Is.True);
        Assert.That(e.Message, Does.Contain("not trusted by the system store").And.Contain("--ca FILE").And.Contain("--insecure"));
    }

    [Test]
    public async Task A_certificate_for_another_name_is_refused_even_when_its_ca_is_given()
    {
        using var certificate = TlsTestServer.Certificate("CN=elsewhere.example", "elsewhere.example");
        await using var server = new TlsTestServer(certificate);
        var trust = TlsClientOptions.FromPemFile(TlsTestServer.WritePem(certificate, TempDir()));
        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, trust));
        Assert.That(e!.Message, Does.Contain("does not name the target host").And.Contain("elsewhere.example"));
    }

    [Test]
    public async Task A_plain_http_server_behind_an_https_url_fails_the_handshake_with_a_hint()
    {
        // Kestrel over plain HTTP answers a ClientHello with a 400, as nginx or Apache would.
        await using var server = await Conformance.ReferenceServer.ReferenceServerApp.StartAsync();
        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, TlsClientOptions.Insecure));
        Assert.That(e!.TlsRefused, Is.False);
        Assert.That(e.Message, Does.Contain("TLS handshake failed").And.Contain("http://"));
    }

    [Test]
    public void A_ca_file_without_a_certificate_is_a_usage_error_naming_the_file()
    {
        var path = Path.Combine(TempDir(), "empty.pem");
        File.WriteAllText(path, "not a certificate\n");
        var e = Assert.Throws<ArgumentException>(() => TlsClientOptions.FromPemFile(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("no certificate"));
        var missing = Assert.Throws<ArgumentException>(() => TlsClientOptions.FromPemFile(Path.Combine(TempDir(), "missing.pem")));
        Assert.That(missing!.Message, Does.Contain("missing.pem"));
    }

    [Test]
    public async Task The_run_certificate_serves_localhost_and_127_0_0_1_and_its_pem_is_its_own_trust_anchor()
    {
        var dir = TempDir();
        using var run = RunCertificate.Create(dir);
        Assert.That(File.ReadAllText(run.CertificateFile), Does.StartWith("-----BEGIN CERTIFICATE-----"));
        Assert.That(File.ReadAllText(run.KeyFile), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        if (!OperatingSystem.IsWindows()) Assert.That(File.GetUnixFileMode(run.KeyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        await using var server = new TlsTestServer(run.Certificate);
        var trust = TlsClientOptions.FromPemFile(run.CertificateFile);
        await using (await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None, trust)) { }
        await using (await WireConnection.ConnectAsync("localhost", server.Port, Options, CancellationToken.None, trust)) { }
    }
}
