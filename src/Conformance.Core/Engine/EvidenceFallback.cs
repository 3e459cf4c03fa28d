using System.Text;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Engine;

/// <summary>
/// What a case was judged on, for the report: a SKIP is coverage lost, a weaker judgement is coverage kept
/// with less evidence, and both say which role would bring the full judgement in.
/// </summary>
/// <param name="Description">One line, e.g. "framing judged by a follow-up request; content not compared (no echo role)".</param>
/// <param name="Weaker">True when the full judgement compares something this one could not (decoded content).</param>
/// <param name="FullEvidenceRole">The profile role that would give the full judgement.</param>
public sealed record CaseEvidence(string Description, bool Weaker, string? FullEvidenceRole);

/// <summary>The case to run on this profile, and the evidence it will be judged on (null: the case as written).</summary>
public sealed record EvidencePlan(ConformanceCase Case, CaseEvidence? Evidence);

/// <summary>
/// A step the fallback appends after a request that carried content: a GET for the existing resource on the
/// same connection. Its answer proves the server consumed exactly the content the framing says (RFC 9112 §6.3):
/// bytes read too few are parsed as the start of the follow-up (a 400, or an answer to a smuggled request),
/// bytes read too many swallow it (no answer). Never written in a fixture; see <see cref="EvidenceFallback"/>.
/// </summary>
public sealed record FollowUpStep(int Line) : CaseStep(Line);

/// <summary>
/// Adapts a request-side case to a profile without the echo role, so it is judged instead of skipped
/// (DESIGN: a case needs as few roles as its judgement allows). Fixtures stay data; the adaptation is read
/// from the case itself:
/// <list type="bullet">
/// <item>{path.echo} becomes {path.existing} and {echo.method} becomes POST;</item>
/// <item>each step answering that request also accepts, as PASS, the statuses a resource that does not want
/// content may answer (<see cref="RefusalStatuses"/>), but only where the step's own outcome set accepts
/// success, a close or a timeout, and only for statuses no alternative of the set already judges;</item>
/// <item>its comparisons of the decoded content ("body:" assertions: the echo's body is the decoded request
/// content) are dropped;</item>
/// <item>when the case's last step answers that request and leaves the connection unjudged, a follow-up
/// request (<see cref="FollowUpStep"/>) is added, with or without an echo role.</item>
/// </list>
/// A case whose step answering the echo request carries a header assertion, a capture or a named check
/// judges the echo's own response; it keeps needing the echo role and SKIPs without it.
/// </summary>
public static class EvidenceFallback
{
    /// <summary>
    /// Statuses with which a resource refuses a request's content without judging its framing: 405 (method
    /// not allowed for the resource, RFC 9110 §15.5.6), 411 (length required, RFC 9112 §6.3), 413 (content
    /// too large, RFC 9110 §15.5.14), 415 (unsupported media type, §15.5.16), 501 (method not implemented
    /// for the resource, §9.1).
    /// </summary>
    public static readonly IReadOnlyList<int> RefusalStatuses = [405, 411, 413, 415, 501];

    public const string FollowUpEvidence = "framing judged by a follow-up request";
    public const string NoEchoNote = "content not compared (no echo role)";

    /// <summary>The evidence once the resource refused the content: what the server does with such content was not observed.</summary>
    public static CaseEvidence Refused(CaseEvidence planned, int status)
        => planned.Description.Contains("refused the content", StringComparison.Ordinal) ? planned : planned with
        {
            Description = $"{planned.Description}; the resource refused the content ({status}), so how the server handles such content was not observed (no echo role)",
            Weaker = true,
            FullEvidenceRole = Roles.Echo,
        };

    public static EvidencePlan Plan(ConformanceCase @case, TargetProfile profile)
    {
        if (!@case.NeededRoles.Contains(Roles.Echo)) return new EvidencePlan(@case, null);
        var answers = EchoAnswers(@case);
        var hasEcho = profile.HasRole(Roles.Echo);
        var followUp = NeedsFollowUp(@case, answers);
        var compares = @case.Steps.Where((s, i) => answers[i] && s is ExpectStep e && e.Assertions.OfType<BodyAssertion>().Any()).Any();

        if (hasEcho)
        {
            var text = compares ? "content compared through the echo role" : "judged on the echo role";
            return new EvidencePlan(followUp ? WithFollowUp(@case) : @case,
                new CaseEvidence(followUp ? $"{text}; {FollowUpEvidence}" : text, false, null));
        }
        if (!profile.HasRole(Roles.Existing) || !Adaptable(@case, answers))
            return new EvidencePlan(@case, null);

        var steps = new List<CaseStep>();
        for (var i = 0; i < @case.Steps.Count; i++)
        {
            steps.Add(@case.Steps[i] switch
            {
                SendStep send => send with { Segments = send.Segments.Select(Substitute).ToList() },
                ExpectStep expect when answers[i] => expect with
                {
                    Outcomes = Widen(expect.Outcomes),
                    Assertions = expect.Assertions.Where(a => a is not BodyAssertion).ToList(),
                },
                var other => other,
            });
        }
        if (followUp) steps.Add(new FollowUpStep(@case.Steps[^1].Line));
        var roles = new HashSet<string>(@case.NeededRoles, StringComparer.Ordinal) { Roles.Existing };
        roles.Remove(Roles.Echo);
        var adapted = @case with { Steps = steps, NeededRoles = roles };

        var how = followUp ? FollowUpEvidence : "judged on the existing resource by the outcome and the connection";
        var description = compares ? $"{how}; {NoEchoNote}" : $"{how} (no echo role; the case compares no content)";
        return new EvidencePlan(adapted, new CaseEvidence(description, compares, compares ? Roles.Echo : null));
    }

    /// <summary>Why a case that needs the echo role cannot be judged without it, or null when it can.</summary>
    public static string? WhyNotAdaptable(ConformanceCase @case)
    {
        var answers = EchoAnswers(@case);
        return Adaptable(@case, answers) ? null
            : "it judges the echo's own response (a header assertion, capture or named check on it), which another resource would not produce";
    }

    private static bool Adaptable(ConformanceCase @case, bool[] answers)
        => !@case.Steps.Where((s, i) => answers[i] && s is ExpectStep e
            && e.Assertions.Any(a => a is HeaderAssertion or CaptureAssertion or NamedCheckAssertion)).Any();

    private static ByteSegment Substitute(ByteSegment segment) => segment switch
    {
        PlaceholderRef { Name: "path.echo" } => new PlaceholderRef("path.existing"),
        PlaceholderRef { Name: "echo.method" } => new LiteralBytes("POST"u8.ToArray()),
        _ => segment,
    };

    /// <summary>
    /// Adds the refusal statuses as PASS where the set accepts success, a close or a timeout (the case judges
    /// what the server did with the content, not that it wanted it). A set that demands one status ("400":
    /// invalid framing MUST be rejected) is left as written. Alternatives already in the set decide first.
    /// </summary>
    public static OutcomeSet Widen(OutcomeSet set)
    {
        var acceptsContentOrWaits = set.Alternatives.Any(a => a.Verdict == Verdict.Pass
            && (a.Pattern.Kind is ObservedKind.Closed or ObservedKind.Timeout
                || (a.Pattern.Kind == ObservedKind.Status && (a.Pattern.StatusClass == 2 || a.Pattern.Status is >= 200 and < 300))));
        if (!acceptsContentOrWaits) return set;
        // A status the set names (405, 4xx) decides as written; the wildcard "any" (an INFO "allowed, but the
        // case's point is unproved") does not: for a resource that does not want content a refusal is the answer.
        static bool IsWildcard(OutcomeAlternative a) => a.Pattern.Kind == ObservedKind.Status && a.Pattern.Status is null && a.Pattern.StatusClass is null;
        var named = set.Alternatives.Where(a => !IsWildcard(a)).ToList();
        var added = RefusalStatuses.Where(s => !named.Any(a => a.Pattern.Matches(ObservedKind.Status, s)))
            .Select(s => new OutcomeAlternative(new OutcomePattern(ObservedKind.Status, s), Verdict.Pass) { Refusal = true }).ToList();
        var wildcard = set.Alternatives.ToList().FindIndex(IsWildcard);
        var alternatives = set.Alternatives.ToList();
        alternatives.InsertRange(wildcard < 0 ? alternatives.Count : wildcard, added);
        return new OutcomeSet(alternatives);
    }

    /// <summary>
    /// The last step answers the request that carried content and leaves the connection's fate unjudged: no
    /// connection assertion or check, no later step, and not a step that accepts the server still waiting.
    /// </summary>
    private static bool NeedsFollowUp(ConformanceCase @case, bool[] answers)
    {
        var last = @case.Steps.Count - 1;
        if (last < 0 || @case.Steps[last] is not ExpectStep e || !answers[last]) return false;
        if (e.Outcomes.AcceptsInterim) return false;
        if (e.Outcomes.Alternatives.Any(a => a.Pattern.Kind == ObservedKind.Timeout && a.Verdict == Verdict.Pass)) return false;
        return !e.Assertions.Any(a => a is ConnectionAssertion || a is NamedCheckAssertion { CheckName: "close-announced" or "connection-as-announced" });
    }

    private static ConformanceCase WithFollowUp(ConformanceCase @case)
        => @case with
        {
            Steps = [.. @case.Steps, new FollowUpStep(@case.Steps[^1].Line)],
            NeededRoles = new HashSet<string>(@case.NeededRoles, StringComparer.Ordinal) { Roles.Existing },
        };

    /// <summary>
    /// For each step, whether it is an expect step whose response answers a request to {path.echo}. The send
    /// blocks are read as one stream (placeholders kept as their names) and split into requests by their own
    /// framing, the way a conformant server would: Transfer-Encoding naming chunked, else Content-Length.
    /// Content sent in a later block (after an Expect: 100-continue) belongs to the request it completes.
    /// </summary>
    internal static bool[] EchoAnswers(ConformanceCase @case)
    {
        var stream = new List<byte>();
        var sentAt = new int[@case.Steps.Count];
        for (var i = 0; i < @case.Steps.Count; i++)
        {
            if (@case.Steps[i] is SendStep send)
            {
                foreach (var segment in send.Segments)
                {
                    switch (segment)
                    {
                        case LiteralBytes l: stream.AddRange(l.Bytes); break;
                        case PlaceholderRef p: stream.AddRange(Encoding.ASCII.GetBytes("{" + p.Name + "}")); break;
                        case RepeatBytes r:
                            for (var n = 0; n < r.Count; n++) stream.AddRange(r.Unit);
                            break;
                    }
                }
            }
            sentAt[i] = stream.Count;
        }
        var requests = SplitRequests([.. stream]);
        var answers = new bool[@case.Steps.Count];
        var next = 0;
        for (var i = 0; i < @case.Steps.Count; i++)
        {
            if (@case.Steps[i] is not ExpectStep expect) continue;
            if (next >= requests.Count || requests[next].Start >= sentAt[i]) continue;
            answers[i] = requests[next].ToEcho;
            // An interim response (100 Continue) answers no request: the final one follows in a later step.
            if (!expect.Outcomes.AcceptsInterim) next++;
        }
        return answers;
    }

    private readonly record struct SentRequest(int Start, bool ToEcho);

    private static List<SentRequest> SplitRequests(byte[] bytes)
    {
        var found = new List<SentRequest>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            while (pos < bytes.Length && bytes[pos] is (byte)'\r' or (byte)'\n') pos++;
            if (pos >= bytes.Length) break;
            var headEnd = HeadEnd(bytes, pos);
            var head = Encoding.Latin1.GetString(bytes, pos, (headEnd < 0 ? bytes.Length : headEnd) - pos);
            var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            found.Add(new SentRequest(pos, lines[0].Contains("{path.echo}", StringComparison.Ordinal)));
            if (headEnd < 0) break;
            pos = headEnd + BodyLength(lines, bytes, headEnd);
        }
        return found;
    }

    private static int HeadEnd(byte[] bytes, int from)
    {
        for (var i = from; i < bytes.Length; i++)
        {
            if (bytes[i] != '\n') continue;
            if (i + 1 < bytes.Length && bytes[i + 1] == '\n') return i + 2;
            if (i + 2 < bytes.Length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3;
        }
        return -1;
    }

    private static int BodyLength(List<string> lines, byte[] bytes, int start)
    {
        static string? Field(List<string> lines, string name) => lines.Skip(1)
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
        if (Field(lines, "Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            return ChunkedLength(bytes, start);
        return Field(lines, "Content-Length") is { } cl && int.TryParse(cl, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>The length of a chunked body from start; malformed chunked content runs to the end of the stream.</summary>
    private static int ChunkedLength(byte[] bytes, int start)
    {
        var pos = start;
        while (pos < bytes.Length)
        {
            var lf = Array.IndexOf(bytes, (byte)'\n', pos);
            if (lf < 0) return bytes.Length - start;
            var line = Encoding.Latin1.GetString(bytes, pos, lf - pos).TrimEnd('\r');
            var hex = new string(line.TakeWhile(Uri.IsHexDigit).ToArray());
            if (hex.Length == 0 || !long.TryParse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size > int.MaxValue)
                return bytes.Length - start;
            pos = lf + 1;
            if (size == 0)
            {
                // The trailer section ends at the first empty line.
                while (pos < bytes.Length)
                {
                    var end = Array.IndexOf(bytes, (byte)'\n', pos);
                    if (end < 0) return bytes.Length - start;
                    var empty = end == pos || (end == pos + 1 && bytes[pos] == '\r');
                    pos = end + 1;
                    if (empty) return pos - start;
                }
                return bytes.Length - start;
            }
            pos += (int)size;
            if (pos < bytes.Length && bytes[pos] == '\r') pos++;
            if (pos < bytes.Length && bytes[pos] == '\n') pos++;
        }
        return bytes.Length - start;
    }
}
