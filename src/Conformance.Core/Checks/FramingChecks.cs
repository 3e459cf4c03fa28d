using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>Message framing: Content-Length, Transfer-Encoding, chunked syntax, bodiless messages (RFC 9110 §8.6, RFC 9112 §6-§8).</summary>
internal static class FramingChecks
{
    public static readonly CheckDefinition ClIn1xx204 = new(
        "framing.cl-in-1xx-204", RequirementLevel.Must, "rfc9110-8.6-not-send-content-length-1xx-204");

    public static readonly CheckDefinition TeIn1xx204 = new(
        "framing.te-in-1xx-204", RequirementLevel.Must, "rfc9112-6.1-not-send-te-1xx-204");

    public static readonly CheckDefinition ClAndTe = new(
        "framing.cl-and-te", RequirementLevel.Must, "rfc9112-6.2-not-send-content-length");

    public static readonly CheckDefinition ClValid = new(
        "framing.cl-valid", RequirementLevel.Grammar, "rfc9110-8.6-content-length-digit-content");

    public static readonly CheckDefinition NoContent = new(
        "framing.no-content", RequirementLevel.Must, "rfc9110-9.3.2-not-send-content");

    public static readonly CheckDefinition Incomplete = new(
        "framing.incomplete", RequirementLevel.Must, "rfc9112-8-incomplete-zero-chunk-or-short");

    public static readonly CheckDefinition TeForHttp10 = new(
        "framing.te-for-http10", RequirementLevel.Must, "rfc9112-6.1-not-send-containing-transfer");

    public static readonly CheckDefinition ChunkedSyntax = new(
        "framing.chunked-syntax", RequirementLevel.Grammar, "rfc9112-7.1-chunked-body-grammar");

    public static IReadOnlyList<CheckDefinition> Definitions { get; } =
        [ClIn1xx204, TeIn1xx204, ClAndTe, ClValid, NoContent, Incomplete, TeForHttp10, ChunkedSyntax];

    public static void Run(ResponseContext context, List<Violation> found)
    {
        var r = context.Response;
        var cl = r.FieldsNamed("Content-Length").ToList();
        var te = r.FieldsNamed("Transfer-Encoding").ToList();
        var noContentStatus = r.StatusCode is >= 100 and < 200 or 204;

        if (noContentStatus && cl.Count > 0)
        {
            found.Add(ClIn1xx204.Violation($"expected no Content-Length in a {r.StatusCode} response, got \"{ByteText.Escape(cl[0].Line.Content)}\"", cl[0].Line.Offset));
        }

        if (noContentStatus && te.Count > 0)
        {
            found.Add(TeIn1xx204.Violation($"expected no Transfer-Encoding in a {r.StatusCode} response, got \"{ByteText.Escape(te[0].Line.Content)}\"", te[0].Line.Offset));
        }

        if (cl.Count > 0 && te.Count > 0)
        {
            found.Add(ClAndTe.Violation(
                $"expected Content-Length or Transfer-Encoding, got both: \"{ByteText.Escape(cl[0].Line.Content)}\" and \"{ByteText.Escape(te[0].Line.Content)}\"",
                Math.Min(cl[0].Line.Offset, te[0].Line.Offset)));
        }

        if (cl.Count > 1)
        {
            found.Add(ClValid.Violation(
                $"expected one Content-Length field, got {cl.Count}: {string.Join(", ", cl.Select(f => $"\"{ByteText.Escape(f.Value)}\""))}", cl[1].Line.Offset));
        }
        else if (cl.Count == 1 && (cl[0].Value.Length == 0 || !cl[0].Value.All(char.IsAsciiDigit)))
        {
            found.Add(ClValid.Violation($"expected Content-Length as 1*DIGIT, got \"{ByteText.Escape(cl[0].Value)}\"", cl[0].Line.Offset));
        }

        if (r.UnexpectedBytesAfterEnd is { } extra)
        {
            found.Add(NoContent.Violation(
                $"expected the message to end at the empty line ({Why(context)}), got content bytes \"{ByteText.Escape(extra, 48)}\" after it",
                r.Bytes.Length, RequirementLevel.Must, NoContentRule(context)));
        }

        var fatalChunkIssue = r.ChunkedSyntaxIssues.Any(i => i.Fatal);
        // Incomplete means the server ended the stream short of the framing (RFC 9112 §8). A body cut by the
        // suite's own read bound is a timeout, which the engine reports as one, never a framing violation.
        if (r.HeaderTerminator is not null && !r.Complete && !r.Truncated && !fatalChunkIssue && r.EndedBy != StreamEnd.TimedOut)
        {
            found.Add(Incomplete.Violation($"expected a complete {r.Framing} body, got: {r.IncompleteReason}", r.Bytes.Length));
        }

        if (te.Count > 0 && string.Equals(context.RequestVersion, "HTTP/1.0", StringComparison.Ordinal))
        {
            found.Add(TeForHttp10.Violation($"expected no Transfer-Encoding in answer to an HTTP/1.0 request, got \"{ByteText.Escape(te[0].Line.Content)}\"", te[0].Line.Offset));
        }

        foreach (var issue in r.ChunkedSyntaxIssues)
        {
            found.Add(ChunkedSyntax.Violation(issue.Description, issue.Offset));
        }
    }

    private static string Why(ResponseContext context) =>
        context.RequestWasHead ? "a response to HEAD" : $"a {context.Response.StatusCode} response";

    // The sentence a bodiless status breaks is that status's own (RFC 9110 §15.2, §15.3.5, §15.4.5); HEAD's is the rule's.
    private static readonly RequirementCitation Bodiless1xx = RequirementCitation.Here("rfc9110-15.2-1xx-terminated-end-cannot", "response-grammar rule framing.no-content (a 1xx)");
    private static readonly RequirementCitation Bodiless204 = RequirementCitation.Here("rfc9110-15.3.5-204-terminated-end-cannot", "response-grammar rule framing.no-content (a 204)");
    private static readonly RequirementCitation Bodiless304 = RequirementCitation.Here("rfc9110-15.4.5-304-terminated-end-cannot", "response-grammar rule framing.no-content (a 304)");

    /// <summary>The catalog ids the rules cite beyond their own: the lint counts them.</summary>
    public static IEnumerable<RequirementCitation> FurtherCitations => [Bodiless1xx, Bodiless204, Bodiless304];

    private static RequirementCitation? NoContentRule(ResponseContext context) => context.Response.StatusCode switch
    {
        _ when context.RequestWasHead => null,
        204 => Bodiless204,
        304 => Bodiless304,
        _ => Bodiless1xx,
    };
}
