using System.Globalization;

namespace Conformance.Harness.Engine;

/// <summary>
/// "check: field-on-status 405 Allow": when the response has that status, it carries that field. A request
/// case often accepts several outcomes (405, or 2xx where a target supports the method) while a field is
/// mandatory in one of them only (RFC 9110 §15.5.6: Allow in every 405); a plain header assertion would
/// wrongly apply to all.
/// </summary>
public sealed class FieldOnStatus : NamedCheck
{
    public override string Name => "field-on-status";

    public override string Usage => "check: field-on-status STATUS FIELD-NAME";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
    {
        if (ExpectCount(arguments, 2) is { } count) return count;
        return int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 100 and <= 599
            ? null
            : $"the first argument is a status code from 100 to 599, got \"{arguments[0]}\"";
    }

    public override CheckOutcome Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        var field = context.Arguments[1];
        if (context.Response.StatusCode != status || context.Response.Header(field) is not null) return CheckOutcome.Held;
        // Content-Length is asked for only "in the absence of Transfer-Encoding" (RFC 9110 §8.6), and a sender
        // MUST NOT send it beside Transfer-Encoding (RFC 9112 §6.2): a chunked answer meets the rule without it.
        if (field.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && context.Response.Header("Transfer-Encoding") is not null)
            return CheckOutcome.Held;
        return CheckOutcome.Broken($"a {field} field in the {status} response", $"a {status} without {field}");
    }
}
