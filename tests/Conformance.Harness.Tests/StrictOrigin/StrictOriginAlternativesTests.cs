using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Where the RFC lets a server choose, the strict origin makes one choice; a server that makes another is just as
/// correct, so the catalog must give it no FAIL and no ERROR either. Each switch here is one such RFC-allowed
/// alternative (its sentence is quoted on <see cref="StrictOriginOptions"/>). A FAIL in this test is a fixture or a
/// check that misses an answer the RFC allows: the false FAIL issue 11 is about.
/// </summary>
public sealed class StrictOriginAlternativesTests
{
    /// <summary>
    /// Each alternative, and its witness: proof that the catalog reached the switch, or this test would prove nothing
    /// about it. Without a witness (the request-side switches), some case must observe another answer than the strict
    /// origin gives; with one (the response styles, which change bytes but no status), the bytes received must show it.
    /// </summary>
    private static readonly Dictionary<string, (StrictOriginOptions Options, Func<string, bool>? Witness)> Alternatives = new(StringComparer.Ordinal)
    {
        ["bare-lf-accepted"] = (new() { AcceptBareLf = true }, null),
        ["obs-fold-replaced"] = (new() { ReplaceObsFold = true }, null),
        ["cr-and-nul-replaced"] = (new() { ReplaceCrAndNulWithSp = true }, null),
        ["identical-content-lengths-merged"] = (new() { MergeIdenticalContentLengths = true }, null),
        ["transfer-encoding-over-content-length"] = (new() { ProcessTransferEncodingOverContentLength = true }, null),
        ["unknown-expectation-ignored"] = (new() { IgnoreUnknownExpectations = true }, null),
        ["lenient-request-line-whitespace"] = (new() { LenientRequestLineWhitespace = true }, null),
        ["close-after-every-response"] = (new() { CloseAfterEveryResponse = true }, null),
        ["content-length-required"] = (new() { RequireContentLength = true }, null),
        ["chunked-responses"] = (new() { ChunkResponses = true }, received => received.Contains("\r\nTransfer-Encoding: chunked\r\n", StringComparison.Ordinal)),
        ["close-delimited-http10-responses"] = (new() { CloseDelimitHttp10Responses = true }, HasCloseDelimited200),
        ["empty-reason-phrase"] = (new() { EmptyReasonPhrase = true }, received => received.Contains("HTTP/1.1 200 \r\n", StringComparison.Ordinal)),
        ["lowercase-field-names"] = (new() { LowercaseFieldNames = true }, received => received.Contains("\r\ncontent-length: ", StringComparison.Ordinal)),
    };

    public static IEnumerable<string> AlternativeNames => Alternatives.Keys;

    /// <summary>The catalog against the strict origin with no switch on, once for all the cases of this fixture.</summary>
    private static readonly Lazy<Task<IReadOnlyList<CaseResult>>> StrictRun = new(async () =>
    {
        await using var origin = await StrictOriginHost.StartAsync();
        return (await RawCatalog.RunAsync(origin.Port, RawCatalog.RawCases(), RunSettings.DefaultParallelism)).Results;
    });

    [TestCaseSource(nameof(AlternativeNames))]
    public async Task An_RFC_allowed_alternative_gets_no_FAIL_and_no_ERROR(string alternative)
    {
        var (options, witness) = Alternatives[alternative];
        var cases = RawCatalog.RawCases();
        await using var origin = await StrictOriginHost.StartAsync(options);
        var (results, took) = await RawCatalog.RunAsync(origin.Port, cases, RunSettings.DefaultParallelism);

        await TestContext.Out.WriteLineAsync($"strict origin, {alternative}: {cases.Count} raw cases in {took.TotalSeconds:0.0} s: {RawCatalog.Counts(results)}");
        foreach (var r in results.Where(r => r.Verdict is Verdict.Warn or Verdict.Info))
            await TestContext.Out.WriteLineAsync($"  {r.Verdict} {r.Case.Id}: {r.DecidedBy?.Rule} (observed {string.Join(", ", r.Observed)})");
        bool reached;
        if (witness is null)
        {
            var strict = (await StrictRun.Value).ToDictionary(r => r.Case.Id, r => string.Join(", ", r.Observed), StringComparer.Ordinal);
            var moved = results.Where(r => strict[r.Case.Id] != string.Join(", ", r.Observed)).ToList();
            foreach (var r in moved) await TestContext.Out.WriteLineAsync($"  answered otherwise: {r.Case.Id}: {strict[r.Case.Id]} -> {string.Join(", ", r.Observed)} ({r.Verdict})");
            reached = moved.Count > 0;
        }
        else
        {
            reached = results.Any(r => witness(Received(r)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(origin.Faults, Is.Empty, "the strict origin itself failed: " + string.Join("\n", origin.Faults));
            Assert.That(results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id), Is.Empty, RawCatalog.Offenders(results));
            Assert.That(reached, Is.True, $"no case of the catalog shows {alternative}: the switch was not reached");
        });
    }

    private static string Received(CaseResult result) => string.Concat(result.Connections.SelectMany(c => c.Entries)
        .Where(e => e.Direction == Direction.Received).Select(e => Encoding.Latin1.GetString(e.Bytes)));

    /// <summary>A 200 whose head declares neither Content-Length nor Transfer-Encoding: its content ends with the close.</summary>
    private static bool HasCloseDelimited200(string received)
    {
        for (var at = received.IndexOf("HTTP/1.1 200 ", StringComparison.Ordinal); at >= 0; at = received.IndexOf("HTTP/1.1 200 ", at + 1, StringComparison.Ordinal))
        {
            var end = received.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            var head = end < 0 ? received[at..] : received[at..end];
            if (!head.Contains("Content-Length:", StringComparison.OrdinalIgnoreCase) && !head.Contains("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
