using System.Globalization;
using System.Text.RegularExpressions;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>
/// "check: status-is {redirect.status}": the status equals a value the profile declares (the redirect's
/// configured 3xx). The outcome set takes literal statuses only; this takes a placeholder.
/// </summary>
public sealed class StatusIs : NamedCheck
{
    public override string Name => "status-is";

    public override string Usage => "check: status-is {redirect.status}";

    public override string? ValidateArguments(IReadOnlyList<string> arguments)
        => ExpectCount(arguments, 1) ?? (arguments[0].StartsWith('{') || (arguments[0].Length == 3 && arguments[0].All(char.IsAsciiDigit))
            ? null
            : $"expects a 3-digit status or a placeholder, got \"{arguments[0]}\"");

    public override CheckOutcome Evaluate(CheckContext context)
        => string.Equals(context.Response.StatusCode?.ToString(CultureInfo.InvariantCulture), context.Arguments[0], StringComparison.Ordinal)
            ? CheckOutcome.Held
            : CheckOutcome.Broken($"status {context.Arguments[0]} (as the profile declares)", $"status {context.Response.StatusCode}", offset: 0);
}

/// <summary>
/// "check: location-uri-reference": Location, if present, is a URI-reference (RFC 9110 §10.2.2, RFC 3986 §4.1):
/// only unreserved, reserved and "%" HEXDIG HEXDIG; no SP, CTL, non-ASCII, or characters like "\" "^" "{" "|".
/// Absence is judged by its own (SHOULD) assertion.
/// </summary>
public sealed partial class LocationUriReference : NamedCheck
{
    [GeneratedRegex("^([A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")]
    private static partial Regex UriReferenceChars();

    public override string Name => "location-uri-reference";

    public override string Usage => "check: location-uri-reference";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override CheckOutcome Evaluate(CheckContext context)
    {
        var field = context.Response.Field("Location");
        if (field is null) return CheckOutcome.Held;
        var value = field.Value;
        var ok = value.Length > 0 && UriReferenceChars().IsMatch(value) && value.Count(c => c == '#') <= 1
            && Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _);
        return ok ? CheckOutcome.Held : CheckOutcome.Broken("Location: a URI-reference (RFC 3986 §4.1)", $"Location: {ByteText.Escape(value)}", offset: field.Line.Offset);
    }
}
