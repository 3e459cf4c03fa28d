using System.Xml.Linq;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Servers;
using Conformance.Harness.Tests.Wire;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// Whole runs against https targets: the reference server serving TLS with a run certificate, judged with
/// --ca (trusted), a wrong --ca (refused: exit 3, a report naming why) and --insecure; the TLS facts in
/// every report; and the flag combinations that would silently test something else, refused.
/// </summary>
public sealed class HttpsRunTests
{
    private const string Filter = "status-line";

    private static string TempDir() => Directory.CreateTempSubdirectory("https-run-").FullName;

    private static RunOptions Options(Uri target, string dir) => new()
    {
        TargetUrl = target.ToString(),
        ProfilePath = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"),
        Seed = 20261121,
        Filter = Filter,
        OutputDirectory = dir,
    };

    private static Task<RunResult> RunAsync(RunOptions options, List<string>? log = null)
        => ConformanceRun.ExecuteAsync(options, _ => throw new InvalidOperationException("the test gives a target"),
            ReportWriters.All(), line => log?.Add(line), null, CancellationToken.None);

    [Test]
    public async Task A_run_over_tls_with_its_ca_judges_like_tcp_and_every_report_records_the_tls_facts()
    {
        var dir = TempDir();
        using var certificate = RunCertificate.Create(Path.Combine(dir, "tls"));
        await using var server = await ReferenceServerApp.StartAsync(certificate: certificate.Certificate);
        Assert.That(server.BaseUri.Scheme, Is.EqualTo("https"));
        Assert.That(server.PlainBaseUri, Is.Not.Null, "the reference server also listens on plain http");

        var https = await RunAsync(Options(server.BaseUri, Path.Combine(dir, "https")) with { CaFile = certificate.CertificateFile });
        var plain = await RunAsync(Options(server.PlainBaseUri!, Path.Combine(dir, "http")));

        Assert.That(https.ExitCode, Is.EqualTo(plain.ExitCode), https.Message);
        var report = https.Report!;
        var tls = report.Target.Tls!;
        Assert.That(tls.Version, Is.AnyOf("TLS 1.3", "TLS 1.2"));
        Assert.That(tls.Alpn, Is.EqualTo("http/1.1"), "Kestrel offers h2 too; ALPN settles on http/1.1 because the suite offers nothing else");
        Assert.That(tls.CipherSuite, Does.StartWith("TLS_"));
        Assert.That(tls.CertificateSubject, Does.Contain("CN=localhost"));
        Assert.That(tls.Trust, Does.Contain("--ca"));
        Assert.That(plain.Report!.Target.Tls, Is.Null, "plain TCP records no TLS");
        var verdicts = report.Cases.Where(c => c.Area != "browser").ToDictionary(c => c.Id, c => c.Verdict);
        var plainVerdicts = plain.Report.Cases.Where(c => c.Area != "browser").ToDictionary(c => c.Id, c => c.Verdict);
        Assert.That(verdicts, Is.EquivalentTo(plainVerdicts), "the same bytes over TLS get the same verdicts");

        var read = JsonReport.Read(Path.Combine(dir, "https", JsonReport.FileName));
        Assert.That(read.Schema, Is.EqualTo(RunReport.CurrentSchema));
        Assert.That(read.Target.Tls!.CertificateSha256, Is.EqualTo(tls.CertificateSha256));
        var summary = File.ReadAllText(Path.Combine(dir, "https", MarkdownSummaryWriter.FileName));
        Assert.That(summary, Does.Contain("TLS: " + tls.Version).And.Contain(tls.CipherSuite).And.Contain("ALPN http/1.1"));
        var html = File.ReadAllText(Path.Combine(dir, "https", HtmlReportWriter.FileName));
        Assert.That(html, Does.Contain(tls.CipherSuite).And.Contain(tls.CertificateSha256));
        var properties = XDocument.Load(Path.Combine(dir, "https", JUnitReportWriter.FileName)).Descendants("property")
            .GroupBy(p => (string)p.Attribute("name")!).ToDictionary(g => g.Key, g => (string)g.First().Attribute("value")!);
        Assert.That(properties["tls.version"], Is.EqualTo(tls.Version));
        Assert.That(properties["tls.cipher-suite"], Is.EqualTo(tls.CipherSuite));
        Assert.That(properties["tls.alpn"], Is.EqualTo("http/1.1"));
        Assert.That(properties["tls.certificate-subject"], Is.EqualTo(tls.CertificateSubject));
        Assert.That(File.ReadAllText(Path.Combine(dir, "http", JUnitReportWriter.FileName)), Does.Not.Contain("tls.version"));
    }

    [Test]
    public async Task A_wrong_ca_stops_the_run_as_unreachable_with_a_report_naming_the_refusal_and_insecure_runs()
    {
        var dir = TempDir();
        using var certificate = RunCertificate.Create(Path.Combine(dir, "tls"));
        using var other = RunCertificate.Create(Path.Combine(dir, "other"));
        await using var server = await ReferenceServerApp.StartAsync(certificate: certificate.Certificate);

        var log = new List<string>();
        var refused = await RunAsync(Options(server.BaseUri, Path.Combine(dir, "wrong")) with { CaFile = other.CertificateFile }, log);
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness));
        Assert.That(refused.Report!.Run.Note, Does.StartWith("target unreachable:").And.Contain("certificate was refused").And.Contain("does not chain"));
        Assert.That(refused.Report.Cases.Where(c => c.Area != "browser"), Is.Empty, "nothing ran");
        Assert.That(File.Exists(Path.Combine(dir, "wrong", JsonReport.FileName)), Is.True, "the report is written, as for any unreachable target");
        Assert.That(log, Has.Some.Contains("certificate was refused"));

        var system = await RunAsync(Options(server.BaseUri, Path.Combine(dir, "system")));
        Assert.That(system.ExitCode, Is.EqualTo(ExitCodes.TargetOrHarness), "a self-signed certificate is not in the system store");
        Assert.That(system.Report!.Run.Note, Does.Contain("--ca FILE").And.Contain("--insecure"));

        var insecure = await RunAsync(Options(server.BaseUri, Path.Combine(dir, "insecure")) with { Insecure = true });
        Assert.That(insecure.ExitCode, Is.Not.EqualTo(ExitCodes.TargetOrHarness), insecure.Message);
        Assert.That(insecure.Report!.Target.Tls!.Trust, Does.Contain("not verified"));
        Assert.That(insecure.Report.Cases.Where(c => c.Area == Filter).Select(c => c.Verdict), Has.None.EqualTo(Verdict.Error.ToLabel()));
    }

    [Test]
    public async Task The_profile_wizard_finds_the_roles_of_an_https_target_over_tls()
    {
        using var certificate = RunCertificate.Create(Path.Combine(TempDir(), "tls"));
        await using var server = await ReferenceServerApp.StartAsync(certificate: certificate.Certificate);
        var result = await new Targets.ProfileWizard(server.BaseUri, new Harness.Wire.WireOptions())
            .RunAsync(new Targets.WizardHints { Validators = "/static/validated.txt" }, seed: 3, CancellationToken.None);
        Assert.That(result.Profile.Roles.Existing?.Path, Is.EqualTo("/"), "plain TCP to a TLS port would find nothing");
        Assert.That(result.Profile.Roles.Validators?.Path, Is.EqualTo("/static/validated.txt"));
    }

    [TestCase("--ca on http", "http://127.0.0.1:1/", false, true, false, "applies to an https:// target")]
    [TestCase("--insecure on http", "http://127.0.0.1:1/", true, false, false, "applies to an https:// target")]
    [TestCase("both", "https://127.0.0.1:1/", true, true, false, "contradict each other")]
    [TestCase("--tls with --target", "https://127.0.0.1:1/", false, false, true, "--tls makes a bundled server serve HTTPS")]
    public async Task Tls_flags_that_would_be_silently_ignored_are_usage_errors(string name, string url, bool insecure, bool ca, bool tls, string message)
    {
        var result = await RunDriver.RunOneAsync(new RunOptions { TargetUrl = url, Insecure = insecure, CaFile = ca ? "/tmp/any.pem" : null, Tls = tls, NoScreenshot = true },
            (_, _) => throw new InvalidOperationException("no server starts"), _ => { }, () => throw new InvalidOperationException("no run starts"), CancellationToken.None);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadUsage), name);
        Assert.That(result.Message, Does.Contain(message), name);
    }

    [Test]
    public async Task Tls_with_a_bundled_server_that_has_no_tls_configuration_is_a_usage_error_naming_those_that_do()
    {
        var result = await RunDriver.RunOneAsync(new RunOptions { Server = "apache", Tls = true, NoScreenshot = true, OutputDirectory = TempDir() },
            (_, _) => throw new InvalidOperationException("no server starts"), _ => { }, () => throw new InvalidOperationException("no run starts"), CancellationToken.None);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(result.Message, Does.Contain("apache has no TLS configuration").And.Contain("reference, nginx"));
        var withCa = await RunDriver.RunOneAsync(new RunOptions { Server = "nginx", Tls = true, CaFile = "/tmp/any.pem", NoScreenshot = true, OutputDirectory = TempDir() },
            (_, _) => throw new InvalidOperationException("no server starts"), _ => { }, () => throw new InvalidOperationException("no run starts"), CancellationToken.None);
        Assert.That(withCa.ExitCode, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(withCa.Message, Does.Contain("trusts the certificate it made itself"));
    }

    [Test]
    public async Task Bundled_nginx_serves_tls_with_the_run_certificate_and_answers_alpn_with_http11()
    {
        var nginx = new NginxServer();
        try
        {
            nginx.ResolveBinary();
        }
        catch (ServerNotInstalledException e)
        {
            Assert.Ignore(e.Message);
        }
        var dir = TempDir();
        // As root, nginx's workers run as nobody, who must reach the run folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        using var certificate = RunCertificate.Create(BundledTargets.CertificateDirectory(dir));
        await using var running = await nginx.StartAsync(Path.Combine(dir, "server"), CancellationToken.None, certificate);
        Assert.That(running.BaseUri.Scheme, Is.EqualTo("https"));
        Assert.That(running.TrustAnchorFile, Is.EqualTo(certificate.CertificateFile));
        Assert.That(File.ReadAllText(Path.Combine(dir, "server", "nginx.conf")), Does.Contain("ssl_certificate     " + certificate.CertificateFile).And.Contain(" ssl;"));

        var trust = Harness.Wire.TlsClientOptions.FromPemFile(certificate.CertificateFile);
        await using var connection = await Harness.Wire.WireConnection.ConnectAsync("127.0.0.1", running.Port, new Harness.Wire.WireOptions(), CancellationToken.None, trust);
        Assert.That(connection.TlsSession!.Alpn, Is.EqualTo("http/1.1"));
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray(), CancellationToken.None);
        var outcome = await connection.ReadResponseAsync(false, CancellationToken.None);
        Assert.That(outcome.Response?.StatusCode, Is.EqualTo(200), outcome.Detail);
        Assert.That(outcome.Response!.Header("Server"), Does.StartWith("nginx"));

        // The same fixture renders a plain listener without --tls.
        await using var plain = await nginx.StartAsync(Path.Combine(dir, "plain"), CancellationToken.None);
        Assert.That(plain.BaseUri.Scheme, Is.EqualTo("http"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "plain", "nginx.conf")), Does.Not.Contain("ssl"));
    }
}
