using Conformance.Harness.Checks;
using Conformance.Harness.Tests.Wire;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// Each grammar check caught over a real socket: the conformant server passes, the faulty one yields the
/// expected check id. This is what proves a check can fail against bytes a server really sent.
/// </summary>
public class FaultServerGrammarTests
{
    private const string Get11 = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private const string Head11 = "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private const string Get10 = "GET / HTTP/1.0\r\n\r\n";

    private static readonly WireOptions Options = new()
    {
        ReadTimeout = TimeSpan.FromSeconds(2),
        ResponseDeadline = TimeSpan.FromSeconds(5),
    };

    /// <summary>Which fault each check id is proven with, and the request that exposes it.</summary>
    public static IEnumerable<(ResponseFault Fault, string Request, string CheckId)> Catalog()
    {
        yield return (ResponseFault.LowercaseHttpName, Get11, "status-line.http-name");
        yield return (ResponseFault.BadVersion, Get11, "status-line.version");
        yield return (ResponseFault.TwoDigitStatus, Get11, "status-line.status-code");
        yield return (ResponseFault.NoSpAfterStatusCode, Get11, "status-line.sp-after-status");
        yield return (ResponseFault.CtlInReason, Get11, "status-line.reason-phrase");
        yield return (ResponseFault.HigherMajorVersion, Get11, "status-line.response-version");
        yield return (ResponseFault.DowngradedVersion, Get11, "status-line.response-version");
        yield return (ResponseFault.LfOnlyLines, Get11, "line.crlf");
        yield return (ResponseFault.BareCr, Get11, "line.bare-cr");
        yield return (ResponseFault.NoEmptyLine, Get11, "head.empty-line");
        yield return (ResponseFault.SpaceBeforeColon, Get11, "field.whitespace-before-colon");
        yield return (ResponseFault.BadFieldName, Get11, "field.name-token");
        yield return (ResponseFault.ObsFold, Get11, "field.obs-fold");
        yield return (ResponseFault.CtlInFieldValue, Get11, "field.value-ctl");
        yield return (ResponseFault.MissingDate, Get11, "date.present");
        yield return (ResponseFault.BadDateFormat, Get11, "date.imf-fixdate");
        yield return (ResponseFault.ClOn204, Get11, "framing.cl-in-1xx-204");
        yield return (ResponseFault.TeOn204, Get11, "framing.te-in-1xx-204");
        yield return (ResponseFault.ClAndTe, Get11, "framing.cl-and-te");
        yield return (ResponseFault.ConflictingContentLength, Get11, "framing.cl-valid");
        yield return (ResponseFault.BodyOnHead, Head11, "framing.no-content");
        yield return (ResponseFault.ContentLengthTooLong, Get11, "framing.incomplete");
        yield return (ResponseFault.MissingLastChunk, Get11, "framing.incomplete");
        yield return (ResponseFault.TeInResponseTo10, Get10, "framing.te-for-http10");
        yield return (ResponseFault.BadChunkSize, Get11, "framing.chunked-syntax");
    }

    private static IEnumerable<TestCaseData> Cases() =>
        Catalog().Select(c => new TestCaseData(c.Fault, c.Request, c.CheckId).SetArgDisplayNames(c.Fault.ToString(), c.CheckId));

    [TestCaseSource(nameof(Cases))]
    public async Task Conformant_server_passes_the_check(ResponseFault fault, string request, string checkId)
    {
        _ = fault;
        var violations = await ExchangeAsync(ResponseFault.None, request);
        Assert.That(violations.Select(v => $"{v.CheckId}: {v.Message}"), Is.Empty, $"conformant answer flagged (checking {checkId})");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Faulty_server_is_caught_by_the_check(ResponseFault fault, string request, string checkId)
    {
        var violations = await ExchangeAsync(fault, request);
        Assert.That(violations.Select(v => v.CheckId).Distinct(), Is.EqualTo(new[] { checkId }),
            string.Join("; ", violations.Select(v => $"{v.CheckId}: {v.Message}")));
    }

    [Test]
    public void Every_check_id_is_proven_against_the_fault_server()
    {
        var covered = Catalog().Select(c => c.CheckId).ToHashSet();
        Assert.That(ResponseGrammar.CheckIds.Where(id => !covered.Contains(id)), Is.Empty);
    }

    private static async Task<IReadOnlyList<Violation>> ExchangeAsync(ResponseFault fault, string request)
    {
        await using var server = new FaultServer(fault);
        await using var connection = await WireConnection.ConnectAsync("127.0.0.1", server.Port, Options, CancellationToken.None);
        Assert.That(await connection.SendAsync(Bytes.Of(request), CancellationToken.None), Is.True);
        var head = request.StartsWith("HEAD", StringComparison.Ordinal);
        var outcome = await connection.ReadResponseAsync(head, CancellationToken.None);
        Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.Response), outcome.Detail);
        var version = request.Contains("HTTP/1.0", StringComparison.Ordinal) ? "HTTP/1.0" : "HTTP/1.1";
        return ResponseGrammar.Check(new ResponseContext(outcome.Response!, head ? "HEAD" : "GET", version, DateTimeOffset.UtcNow));
    }
}
