using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>Field lines of the header and trailer sections: RFC 9112 §5 and RFC 9110 §5.</summary>
internal static class FieldChecks
{
    public static readonly CheckDefinition WhitespaceBeforeColon = new(
        "field.whitespace-before-colon", RequirementLevel.Grammar, new RfcReference(9112, "5.1"),
        "field-line = field-name \":\" OWS field-value OWS. No whitespace is allowed between the field name and colon.");

    public static readonly CheckDefinition NameToken = new(
        "field.name-token", RequirementLevel.Grammar, new RfcReference(9110, "5.1"),
        "field-name = token; token = 1*tchar; a field line is field-name \":\" OWS field-value OWS (RFC 9112 §5).");

    public static readonly CheckDefinition ObsFold = new(
        "field.obs-fold", RequirementLevel.Must, new RfcReference(9112, "5.2"),
        "A sender MUST NOT generate a message that includes line folding (i.e., that has any field line value that contains a match to the obs-fold rule) unless the message is intended for packaging within the \"message/http\" media type.");

    public static readonly CheckDefinition ValueCtl = new(
        "field.value-ctl", RequirementLevel.Grammar, new RfcReference(9110, "5.5"),
        "field-value = *field-content; field-vchar = VCHAR / obs-text. Field values containing CR, LF, or NUL characters are invalid and dangerous.");

    public static IReadOnlyList<CheckDefinition> Definitions { get; } = [WhitespaceBeforeColon, NameToken, ObsFold, ValueCtl];

    public static void Run(ResponseContext context, List<Violation> found)
    {
        foreach (var field in context.Response.Fields.Concat(context.Response.Trailers))
        {
            var content = field.Line.Content;
            var colon = Array.IndexOf(content, (byte)':');

            if (field.WhitespaceBeforeColon)
            {
                found.Add(WhitespaceBeforeColon.Violation(
                    $"expected \"{ByteText.Escape(field.Name)}:\", got \"{ByteText.Escape(content.AsSpan(0, colon + 1))}\"", field.Line.Offset + field.Name.Length));
            }

            if (colon < 0)
            {
                found.Add(NameToken.Violation($"expected a field line \"name: value\", got \"{ByteText.Escape(content, 80)}\" (no colon)", field.Line.Offset));
            }
            else if (field.Name.Length == 0)
            {
                found.Add(NameToken.Violation($"expected a field name before the colon, got \"{ByteText.Escape(content, 80)}\"", field.Line.Offset));
            }
            else
            {
                var bad = field.Name.AsSpan().IndexOfAnyExcept(Tchars);
                if (bad >= 0)
                {
                    found.Add(NameToken.Violation(
                        $"expected a token field name, got \"{ByteText.Escape(field.Name)}\" with \"{ByteText.Escape(field.Name[bad].ToString())}\" at {bad}", field.Line.Offset + bad));
                }
            }

            if (field.ObsFoldContinuations.Count > 0)
            {
                var k = field.ObsFoldContinuations[0];
                found.Add(ObsFold.Violation(
                    $"expected \"{ByteText.Escape(field.Name)}\" on one line, got a continuation line \"{ByteText.Escape(k.Content, 80)}\" starting with whitespace", k.Offset));
            }

            var valueStart = colon < 0 ? content.Length : colon + 1;
            CheckCtl(field, content, valueStart, field.Line.Offset, found);
            foreach (var k in field.ObsFoldContinuations) CheckCtl(field, k.Content, 0, k.Offset, found);
        }
    }

    private static void CheckCtl(FieldLine field, byte[] bytes, int from, long lineOffset, List<Violation> found)
    {
        for (var i = from; i < bytes.Length; i++)
        {
            var b = bytes[i];
            // HTAB is allowed in values; a bare CR is reported once, by line.bare-cr.
            if ((b < 0x20 && b != (byte)'\t' && b != (byte)'\r') || b == 0x7F)
            {
                found.Add(ValueCtl.Violation(
                    $"expected no control bytes in the value of \"{ByteText.Escape(field.Name)}\", got \"{ByteText.Escape([b])}\" in \"{ByteText.Escape(bytes.AsSpan(from), 80)}\"", lineOffset + i));
                return;
            }
        }
    }

    // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly System.Buffers.SearchValues<char> Tchars =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
