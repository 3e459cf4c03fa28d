using System.Globalization;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>The Date header and timestamp format: RFC 9110 §6.6.1 and §5.6.7.</summary>
internal static class DateChecks
{
    public static readonly CheckDefinition Present = new(
        "date.present", RequirementLevel.Must, "rfc9110-6.6.1-generate-date-2xx-3xx");

    public static readonly CheckDefinition ImfFixdate = new(
        "date.imf-fixdate", RequirementLevel.Must, "rfc9110-5.6.7-generate-timestamps-imf-fixdate");

    // Fields whose value is a single HTTP-date. Expires is left out: RFC 9111 §5.3 tells recipients to
    // accept invalid values such as "0", which servers send on purpose.
    private static readonly string[] DateFields = ["Date", "Last-Modified"];

    private static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static IReadOnlyList<CheckDefinition> Definitions { get; } = [Present, ImfFixdate];

    public static void Run(ResponseContext context, List<Violation> found)
    {
        var r = context.Response;
        if (r.HeaderTerminator is not null && r.StatusCode is >= 200 and < 500 && !r.HasField("Date"))
        {
            found.Add(Present.Violation($"expected a Date header field in a {r.StatusCode} response, got none", -1));
        }

        foreach (var field in r.Fields.Where(f => DateFields.Any(f.Is)))
        {
            if (!IsImfFixdate(field.Value))
            {
                found.Add(ImfFixdate.Violation(
                    $"expected {field.Name} as IMF-fixdate like \"Sun, 06 Nov 1994 08:49:37 GMT\", got \"{ByteText.Escape(field.Value)}\"", field.Line.Offset));
            }
        }
    }

    /// <summary>IMF-fixdate: day-name "," SP 2DIGIT SP month SP 4DIGIT SP time-of-day SP "GMT", names case-sensitive, a real date whose weekday matches.</summary>
    public static bool IsImfFixdate(string value)
    {
        if (value.Length != 29) return false;
        if (!DayNames.Contains(value[..3], StringComparer.Ordinal) || !MonthNames.Contains(value[8..11], StringComparer.Ordinal)) return false;
        if (!value.EndsWith(" GMT", StringComparison.Ordinal)) return false;
        // ParseExact also rejects a weekday that does not match the date.
        return DateTime.TryParseExact(value, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out _);
    }
}
