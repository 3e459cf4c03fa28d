using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>Line terminators of the head (and trailer section): RFC 9112 §2.1 and §2.2.</summary>
internal static class LineChecks
{
    public static readonly CheckDefinition Crlf = new(
        "line.crlf", RequirementLevel.Grammar, "rfc9112-2.1-consists-start-line-followed");

    public static readonly CheckDefinition BareCr = new(
        "line.bare-cr", RequirementLevel.Must, "rfc9112-2.2-bare-cr-invalid");

    public static readonly CheckDefinition EmptyLine = new(
        "head.empty-line", RequirementLevel.Grammar, "rfc9112-2.1-consists-start-line-followed");

    public static IReadOnlyList<CheckDefinition> Definitions { get; } = [Crlf, BareCr, EmptyLine];

    public static void Run(ResponseContext context, List<Violation> found)
    {
        var r = context.Response;
        var lines = HeadLines(r).ToList();

        var bareLf = lines.Where(l => l.Terminator == LineTerminator.Lf).ToList();
        if (bareLf.Count > 0)
        {
            var first = bareLf[0];
            found.Add(Crlf.Violation(
                $"expected every head line to end in \\r\\n; {bareLf.Count} line(s) end in a bare \\n, first \"{ByteText.Escape(first.Content, 80)}\\n\"",
                first.Offset + first.Content.Length));
        }

        foreach (var line in lines)
        {
            var cr = Array.IndexOf(line.Content, (byte)'\r');
            if (cr >= 0)
            {
                found.Add(BareCr.Violation($"expected no CR except before LF, got a bare \\r in \"{ByteText.Escape(line.Content, 80)}\"", line.Offset + cr));
            }
        }

        // A head cut by the suite's own read bound says nothing about the server's grammar (the engine reports
        // it as a timeout); only a stream the server ended is missing its empty line.
        if (r.HeaderTerminator is null && !r.Truncated && r.EndedBy != StreamEnd.TimedOut)
        {
            found.Add(EmptyLine.Violation(
                $"expected an empty line (\\r\\n) to end the header section; the stream ended ({r.IncompleteReason ?? "no reason recorded"})",
                r.Bytes.Length));
        }
    }

    /// <summary>Every physical line of the head and the trailer section, in order.</summary>
    internal static IEnumerable<RawLine> HeadLines(RawResponse r)
    {
        yield return r.StatusLine;
        foreach (var f in r.Fields.Concat(r.Trailers))
        {
            yield return f.Line;
            foreach (var k in f.ObsFoldContinuations) yield return k;
        }

        if (r.HeaderTerminator is not null) yield return r.HeaderTerminator;
    }
}
