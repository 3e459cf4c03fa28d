using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Checks;

/// <summary>The status line: RFC 9112 §4 and §2.3, and the version a server answers with (RFC 9110 §6.2).</summary>
internal static class StatusLineChecks
{
    public static readonly CheckDefinition HttpName = new(
        "status-line.http-name", RequirementLevel.Grammar, "rfc9112-2.3-http-version-case-sensitive");

    public static readonly CheckDefinition Version = new(
        "status-line.version", RequirementLevel.Grammar, "rfc9112-2.3-http-version-case-sensitive");

    public static readonly CheckDefinition StatusCode = new(
        "status-line.status-code", RequirementLevel.Grammar, "rfc9112-4-status-code-three-digits");

    public static readonly CheckDefinition SpAfterStatus = new(
        "status-line.sp-after-status", RequirementLevel.Must, "rfc9112-4-send-space-separates-status");

    public static readonly CheckDefinition ReasonPhrase = new(
        "status-line.reason-phrase", RequirementLevel.Grammar, "rfc9112-4-reason-phrase-grammar");

    public static readonly CheckDefinition ResponseVersion = new(
        "status-line.response-version", RequirementLevel.Should, "rfc9110-6.2-send-version-equal-highest");

    private static readonly RequirementCitation NotConformantVersion = RequirementCitation.Here("rfc9110-6.2-not-send-version-conformant", "response-grammar rule status-line.response-version (a major version above the request's)");

    /// <summary>The catalog ids the rules cite beyond their own: the lint counts them.</summary>
    public static IEnumerable<RequirementCitation> FurtherCitations => [NotConformantVersion];

    public static IReadOnlyList<CheckDefinition> Definitions { get; } = [HttpName, Version, StatusCode, SpAfterStatus, ReasonPhrase, ResponseVersion];

    public static void Run(ResponseContext context, List<Violation> found)
    {
        var r = context.Response;
        var version = r.HttpVersion;
        var line = r.StatusLine.Content;

        if (!version.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            found.Add(HttpName.Violation($"expected the status line to start with \"HTTP/\", got \"{ByteText.Escape(Head(version, 16))}\"", 0));
        }

        var versionOk = IsDigitDotDigit(version);
        if (!versionOk)
        {
            found.Add(Version.Violation($"expected HTTP-version \"HTTP/\" DIGIT \".\" DIGIT, got \"{ByteText.Escape(Head(version, 32))}\"", 0));
        }

        var codeOffset = Math.Min(version.Length + 1, line.Length);
        if (r.StatusCode is null)
        {
            var actual = line.AsSpan(codeOffset, Math.Min(8, line.Length - codeOffset));
            var detail = codeOffset >= line.Length && !line.Contains((byte)' ') ? "no SP after the version" : $"\"{ByteText.Escape(actual)}\"";
            found.Add(StatusCode.Violation($"expected SP and exactly three digits followed by SP after \"{ByteText.Escape(version)}\", got {detail}", codeOffset));
        }
        else
        {
            if (r.ReasonPhrase is null)
            {
                found.Add(SpAfterStatus.Violation(
                    $"expected \"{ByteText.Escape(line)} \" (SP after the status code), got \"{ByteText.Escape(line)}\\r\\n\"", codeOffset + 3));
            }
            else
            {
                var reasonOffset = codeOffset + 4;
                for (var i = reasonOffset; i < line.Length; i++)
                {
                    var b = line[i];
                    // A bare CR is reported once, by line.bare-cr.
                    if ((b < 0x20 && b != (byte)'\t' && b != (byte)'\r') || b == 0x7F)
                    {
                        found.Add(ReasonPhrase.Violation($"expected only HTAB, SP, VCHAR or obs-text in the reason-phrase, got \"{ByteText.Escape([b])}\" in \"{ByteText.Escape(line.AsSpan(reasonOffset))}\"", i));
                        break;
                    }
                }
            }
        }

        if (versionOk && TryMajorMinor(context.RequestVersion, out var reqMajor, out var reqMinor) && reqMajor == 1)
        {
            var major = version[5] - '0';
            var minor = version[7] - '0';
            if (major > reqMajor)
            {
                found.Add(ResponseVersion.Violation(
                    $"expected HTTP/1.x in answer to an {context.RequestVersion} request on an HTTP/1.1 connection, got {version}",
                    0, RequirementLevel.Must, NotConformantVersion));
            }
            else if (major == 1 && minor < Math.Min(reqMinor, 1))
            {
                // An HTTP/1.1 server answers HTTP/1.1; downgrading to 1.0 claims less than the server implements.
                // To "HTTP/1.2" it still answers HTTP/1.1: no server is conformant to a 1.x above 1.1.
                found.Add(ResponseVersion.Violation($"expected HTTP/1.{Math.Min(reqMinor, 1)} (the highest version <= the request's), got {version}", 0));
            }
            else if (major < 1)
            {
                found.Add(ResponseVersion.Violation($"expected HTTP/1.x in answer to an {context.RequestVersion} request, got {version}", 0));
            }
        }
    }

    private static string Head(string s, int max) => s.Length <= max ? s : s[..max];

    private static bool IsDigitDotDigit(string version) =>
        version.Length == 8 && char.IsAsciiDigit(version[5]) && version[6] == '.' && char.IsAsciiDigit(version[7]);

    private static bool TryMajorMinor(string requestVersion, out int major, out int minor)
    {
        major = minor = -1;
        if (!requestVersion.StartsWith("HTTP/", StringComparison.Ordinal) || !IsDigitDotDigit(requestVersion)) return false;
        major = requestVersion[5] - '0';
        minor = requestVersion[7] - '0';
        return true;
    }
}
