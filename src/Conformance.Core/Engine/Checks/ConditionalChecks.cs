using System.Globalization;
using System.Text.RegularExpressions;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>
/// "check: etag-syntax": an ETag field, if present, is exactly one entity-tag (RFC 9110 §8.8.3):
/// <c>entity-tag = [ weak ] opaque-tag; weak = %s"W/"; opaque-tag = DQUOTE *etagc DQUOTE;
/// etagc = %x21 / %x23-7E / obs-text</c>. Absence is not judged here: the cases that need a tag SKIP.
/// </summary>
public sealed partial class EtagSyntax : NamedCheck
{
    [GeneratedRegex("^(W/)?\"[\\x21\\x23-\\x7E\\x80-\\xFF]*\"$")]
    private static partial Regex EntityTag();

    public override string Name => "etag-syntax";

    public override string Usage => "check: etag-syntax";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lines = context.Response.FieldsNamed("ETag").ToList();
        if (lines.Count > 1) return CheckOutcome.Broken("one ETag field (its value is a single entity-tag)", $"{lines.Count} ETag field lines", offset: lines[1].Line.Offset);
        if (lines.Count == 0 || EntityTag().IsMatch(lines[0].Value)) return CheckOutcome.Held;
        return CheckOutcome.Broken("ETag: [W/]\"etagc...\" (case-sensitive W/, double quotes, no SP, DQUOTE or CTL inside)",
            $"ETag: {ByteText.Escape(lines[0].Value)}", offset: lines[0].Line.Offset);
    }
}

/// <summary>
/// "check: last-modified-not-after-date": RFC 9110 §8.8.2, an origin server with a clock MUST NOT send a
/// Last-Modified later than its Date. Holds when either field is absent or not a date (the response grammar
/// reports a malformed date on its own).
/// </summary>
public sealed class LastModifiedNotAfterDate : NamedCheck
{
    public override string Name => "last-modified-not-after-date";

    public override string Usage => "check: last-modified-not-after-date";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var lm = context.Response.Header("Last-Modified");
        var date = context.Response.Header("Date");
        if (lm is null || date is null || !TryParse(lm, out var modified) || !TryParse(date, out var now)) return CheckOutcome.Held;
        return modified <= now
            ? CheckOutcome.Held
            : CheckOutcome.Broken("Last-Modified not later than Date", $"Last-Modified: {lm} / Date: {date}", offset: context.Response.Field("Last-Modified")?.Line.Offset);
    }

    internal static bool TryParse(string value, out DateTimeOffset date)
        => DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
}
