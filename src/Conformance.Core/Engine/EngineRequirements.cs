using Conformance.Harness.Checks;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Engine;

/// <summary>
/// The sentences of the findings the engine makes itself (bytes after the last response, a silent close, an
/// answer that is not HTTP/1.x), cited by catalog id like every case: the quote lives in fixtures/requirements/.
/// </summary>
internal static class EngineRequirements
{
    /// <summary>Bytes after the last expected response, and a follow-up request answered wrongly: the body length rules.</summary>
    public static readonly RequirementCitation BodyLength = RequirementCitation.Here("rfc9112-6.3-length-determined-by-precedence", "the engine's framing.extra-bytes and framing-follow-up findings");

    /// <summary>A silent close: announcing a close is a SHOULD (§9.6), which a close at any time (§9.5, MAY) does not lift.</summary>
    public static readonly RequirementCitation UnannouncedClose = RequirementCitation.Here("rfc9112-9.6-send-close-when-closing", "the engine's connection.unannounced-close finding");

    public static readonly RequirementCitation CloseAtAnyTime = RequirementCitation.Here("rfc9112-9.5-close-transport-connection-any-time", "the engine's connection.unannounced-close finding");

    public static readonly RequirementCitation NotHttp = RequirementCitation.Here("rfc9112-4-first-line-status-line", "the engine's status-line.http-name finding on bytes that are not HTTP");

    public static readonly RequirementCitation Http09Answer = RequirementCitation.Here("rfc9112-3.2-respond-400-error-301", "the engine's request-line.http09-answer finding");

    public static readonly RequirementCitation OtherMajorAnswer = RequirementCitation.Here("rfc9110-6.2-send-version-equal-highest", "the engine's version.other-major-answer finding");

    public static IReadOnlyList<RequirementCitation> All { get; } = [BodyLength, UnannouncedClose, CloseAtAnyTime, NotHttp, Http09Answer, OtherMajorAnswer];

    /// <summary>The quote of several cited entries, as a case citing them shows it (<see cref="ConformanceCase.Quote"/>).</summary>
    public static string Quote(params RequirementCitation[] cited) => ConformanceCase.Quote([.. cited.Select(CitedRequirements.Get)]);
}

/// <summary>Every catalog id the product's own code in this layer cites: the response-grammar rules and the engine's findings.</summary>
public static class CoreCitations
{
    public static IReadOnlyList<RequirementCitation> All { get; } = [.. ResponseGrammar.Citations, .. EngineRequirements.All];
}
