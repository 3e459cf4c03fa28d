using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>Field lines of the header and trailer sections: RFC 9112 §5 and RFC 9110 §5.</summary>
internal static class FieldChecks
{
    public static readonly CheckDefinition WhitespaceBeforeColon = new(
        "field.whitespace-before-colon", RequirementLevel.Grammar, "rfc9112-5.1-whitespace-allowed-name-colon");

    public static readonly CheckDefinition NameToken = new(
        "field.name-token", RequirementLevel.Grammar, "rfc9110-5.1-name-labels-corresponding-having");

    public static readonly CheckDefinition ObsFold = new(
        "field.obs-fold", RequirementLevel.Must, "rfc9112-5.2-not-generate-includes-line");

    public static readonly CheckDefinition ValueCtl = new(
        "field.value-ctl", RequirementLevel.Grammar, "rfc9110-5.5-field-value-grammar");

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
