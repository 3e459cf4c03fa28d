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
/// <param name="Completion">
/// Bytes that complete content the case deliberately left unfinished (the rest of a Content-Length, the
/// last chunk), sent before the follow-up when the server answered before the content ended: a server that
/// reads the content it answered early then answers the follow-up; one that does not parses the content as
/// a request. Null when the content was complete.
/// </param>
public sealed record FollowUpStep(int Line, byte[]? Completion = null) : CaseStep(Line);

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

        var requests = AnsweredRequests(@case);
        var completion = CompletionFollowUp(@case, requests);
        var steps = new List<CaseStep>();
        for (var i = 0; i < @case.Steps.Count; i++)
        {
            // A later expect step (the case's own probe after the content) or the added follow-up judges what
            // the server did with the bytes after an answer given before the content was read.
            var judgedAfter = @case.Steps.Skip(i + 1).Any(s => s is ExpectStep) || followUp || completion is not null;
            steps.Add(@case.Steps[i] switch
            {
                SendStep send => send with { Segments = send.Segments.Select(Substitute).ToList() },
                ExpectStep expect when answers[i] => expect with
                {
                    Outcomes = AdmitMethodRefusals(WidenForUnreadContent(Widen(expect.Outcomes), requests[i], judgedAfter)),
                    Assertions = expect.Assertions.Where(a => a is not BodyAssertion).ToList(),
                },
                var other => other,
            });
        }
        if (followUp || completion is not null) steps.Add(new FollowUpStep(@case.Steps[^1].Line, completion));
        var roles = new HashSet<string>(@case.NeededRoles, StringComparer.Ordinal) { Roles.Existing };
        roles.Remove(Roles.Echo);
        var adapted = @case with { Steps = steps, NeededRoles = roles };

        var how = followUp || completion is not null ? FollowUpEvidence : "judged on the existing resource by the outcome and the connection";
        var description = compares ? $"{how}; {NoEchoNote}" : $"{how} (no echo role; the case compares no content)";
        return new EvidencePlan(adapted, new CaseEvidence(description, compares, compares ? Roles.Echo : null));
    }

    /// <summary>The evidence once the resource refused the fallback's POST itself: the case's fault was not reached.</summary>
    public static CaseEvidence MethodRefused(CaseEvidence planned, int status) => planned with
    {
        Description = $"not judged: the resource answers a plain POST with {status} too, so this {status} refused the method the fallback sent (POST), not the request's fault (no echo role)",
        Weaker = true,
        FullEvidenceRole = Roles.Echo,
    };

    /// <summary>
    /// The evidence once a resource answered 2xx before reading the content: the answer proves nothing about
    /// the content's framing, which only what followed on the connection judged (or nothing did: INFO).
    /// </summary>
    public static CaseEvidence AnsweredUnread(CaseEvidence planned, int status, bool judgedAfter)
        => planned.Description.Contains("before its content", StringComparison.Ordinal) ? planned : planned with
        {
            Description = judgedAfter
                ? $"{planned.Description}; the resource answered {status} before its content was judged, so the framing was judged only by what followed on the connection (no echo role)"
                : $"the resource answered {status} before its content was judged, and nothing after it could judge the framing (no echo role)",
            Weaker = true,
            FullEvidenceRole = Roles.Echo,
        };

    /// <summary>
    /// For a request whose head frames its content validly (Transfer-Encoding exactly chunked, or one
    /// Content-Length of digits) but whose content the case makes invalid or leaves unfinished, a set that
    /// rejects 2xx ("2xx FAIL": with an echo, a 2xx means the invalid content was accepted) is wrong for a
    /// resource that does not want content: such a resource may answer before it reads any of it (Caddy's file
    /// server answers 200 and then closes). There the 2xx and the refusal statuses PASS on the outcome, marked,
    /// and the framing is judged by the step or follow-up after it; with nothing after it, a 2xx is INFO.
    /// A head that is itself invalid (an unknown coding, Content-Length with Transfer-Encoding, a malformed
    /// length) is seen before any routing, so its set stays as written.
    /// </summary>
    internal static OutcomeSet WidenForUnreadContent(OutcomeSet set, SentRequest? request, bool judgedAfter)
    {
        if (request is not { HeadFramesValidly: true, ContentValidAndComplete: false }) return set;
        if (set.Alternatives.Any(a => a.Verdict == Verdict.Pass && a.Pattern.Matches(ObservedKind.Status, 200))) return set;
        var alternatives = set.Alternatives
            .Select(a => a.Verdict != Verdict.Pass && IsSuccess(a.Pattern)
                ? a with { Verdict = judgedAfter ? Verdict.Pass : Verdict.Info, AnsweredUnread = true }
                : a)
            .ToList();
        // A status the set names decides as written (a 411 is already allowed); a class ("4xx WARN", the
        // SHOULD-400 reading of the content) does not, because the resource never read the content.
        return judgedAfter
            ? WithRefusals(alternatives, decides: (a, s) => a.Pattern.Status == s, insertBefore: a => a.Pattern.Kind == ObservedKind.Status && a.Pattern.Status is null)
            : new OutcomeSet(alternatives);
    }

    /// <summary>The statuses with which a resource refuses the method itself (RFC 9110 §15.5.6, §15.6.2).</summary>
    public static readonly IReadOnlyList<int> MethodRefusalStatuses = [405, 501];

    /// <summary>
    /// The fallback sends POST where the fixture sent the echo's method, to a resource that may not take POST at
    /// all (Python's http.server answers 501 "Unsupported method ('POST')" before it reads a single field). A 405
    /// or 501 may then answer the method the fallback chose, not the fault the case sends (an invalid
    /// Content-Length, whitespace before a colon). Where the set does not pass it already, it is admitted ahead
    /// of any alternative that would hold it against the server ("501 FAIL") as INFO, "not judged", but only
    /// when the resource answers a plain POST with the same status (the runner asks once); nginx's 501 to an
    /// unknown coding, where a plain POST gets 405, is still judged as written. Assertions on the connection
    /// still apply: content whose framing is invalid must not leave the connection open.
    /// </summary>
    internal static OutcomeSet AdmitMethodRefusals(OutcomeSet set)
    {
        var admitted = MethodRefusalStatuses.Where(s => set.Match(ObservedKind.Status, s) is not { Verdict: Verdict.Pass })
            .Select(s => new OutcomeAlternative(new OutcomePattern(ObservedKind.Status, s), Verdict.Info) { MethodRefusal = true }).ToList();
        return admitted.Count == 0 ? set : new OutcomeSet([.. admitted, .. set.Alternatives]);
    }

    /// <summary>
    /// The completion for a follow-up after the last step, when that step answers a request whose content the
    /// case leaves unfinished (it tests that the server waits) and whose rest can be sent; null otherwise.
    /// </summary>
    private static byte[]? CompletionFollowUp(ConformanceCase @case, SentRequest?[] requests)
    {
        var last = @case.Steps.Count - 1;
        if (last < 0 || @case.Steps[last] is not ExpectStep e || requests[last] is not { ToEcho: true, Completion: { } completion }) return null;
        if (e.Outcomes.AcceptsInterim) return null;
        if (e.Assertions.Any(a => a is ConnectionAssertion || a is NamedCheckAssertion { CheckName: "close-announced" or "connection-as-announced" })) return null;
        return completion;
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
            && (a.Pattern.Kind is ObservedKind.Closed or ObservedKind.Timeout || IsSuccess(a.Pattern)));
        if (!acceptsContentOrWaits) return set;
        // A status the set names (405, 4xx) decides as written; the wildcard "any" (an INFO "allowed, but the
        // case's point is unproved") does not: for a resource that does not want content a refusal is the answer.
        static bool IsWildcard(OutcomeAlternative a) => a.Pattern.Kind == ObservedKind.Status && a.Pattern.Status is null && a.Pattern.StatusClass is null;
        return WithRefusals([.. set.Alternatives], decides: (a, s) => !IsWildcard(a) && a.Pattern.Matches(ObservedKind.Status, s), insertBefore: IsWildcard);
    }

    private static bool IsSuccess(OutcomePattern p)
        => p.Kind == ObservedKind.Status && (p.StatusClass == 2 || p.Status is >= 200 and < 300);

    /// <summary>
    /// The set with the <see cref="RefusalStatuses"/> that no alternative already decides added as PASS (marked
    /// <see cref="OutcomeAlternative.Refusal"/>), ahead of the first alternative they must precede.
    /// </summary>
    private static OutcomeSet WithRefusals(List<OutcomeAlternative> alternatives, Func<OutcomeAlternative, int, bool> decides, Func<OutcomeAlternative, bool> insertBefore)
    {
        var added = RefusalStatuses.Where(s => !alternatives.Any(a => decides(a, s)))
            .Select(s => new OutcomeAlternative(new OutcomePattern(ObservedKind.Status, s), Verdict.Pass) { Refusal = true }).ToList();
        var at = alternatives.FindIndex(a => insertBefore(a));
        alternatives.InsertRange(at < 0 ? alternatives.Count : at, added);
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
        => AnsweredRequests(@case).Select(r => r is { ToEcho: true }).ToArray();

    /// <summary>For each step, the request its response answers (expect steps only), or null.</summary>
    internal static SentRequest?[] AnsweredRequests(ConformanceCase @case)
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
        var answers = new SentRequest?[@case.Steps.Count];
        var next = 0;
        for (var i = 0; i < @case.Steps.Count; i++)
        {
            if (@case.Steps[i] is not ExpectStep expect) continue;
            if (next >= requests.Count || requests[next].Start >= sentAt[i]) continue;
            answers[i] = requests[next];
            // An interim response (100 Continue) answers no request: the final one follows in a later step.
            if (!expect.Outcomes.AcceptsInterim) next++;
        }
        return answers;
    }

    /// <summary>One request as the fixture's bytes frame it.</summary>
    /// <param name="Start">Its offset in the case's sent stream.</param>
    /// <param name="ToEcho">It targets {path.echo}.</param>
    /// <param name="HeadFramesValidly">Its head frames content unambiguously: no content fields, Transfer-Encoding
    /// exactly "chunked", or one Content-Length of digits.</param>
    /// <param name="ContentValidAndComplete">Its content is well-formed and wholly sent.</param>
    /// <param name="Completion">The bytes that would finish content left unfinished (null: complete, malformed, or too long to send).</param>
    internal sealed record SentRequest(int Start, bool ToEcho, bool HeadFramesValidly, bool ContentValidAndComplete, byte[]? Completion);

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
            var toEcho = lines[0].Contains("{path.echo}", StringComparison.Ordinal);
            if (headEnd < 0)
            {
                found.Add(new SentRequest(pos, toEcho, false, false, null));
                break;
            }
            var content = ReadContent(lines, bytes, headEnd);
            found.Add(new SentRequest(pos, toEcho, content.HeadValid, content.Complete, content.Completion));
            pos = headEnd + content.Length;
        }
        return found;
    }

    private readonly record struct ContentShape(int Length, bool HeadValid, bool Complete, byte[]? Completion);

    /// <summary>Longest rest of a Content-Length the follow-up sends to finish unfinished content.</summary>
    private const long MaxCompletion = 64 * 1024;

    private static ContentShape ReadContent(List<string> lines, byte[] bytes, int start)
    {
        static List<string> Fields(List<string> lines, string name) => lines.Skip(1)
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim(' ', '\t')).ToList();
        var te = Fields(lines, "Transfer-Encoding");
        var cl = Fields(lines, "Content-Length");
        // Where each request ends is read leniently (a conformant server's reading, bare LF and all) so that
        // the steps keep answering the requests they always answered; the shape is read strictly.
        var length = LenientLength(te, cl, bytes, start);
        if (te.Count > 0)
        {
            if (te.Count != 1 || cl.Count != 0 || !te[0].Equals("chunked", StringComparison.OrdinalIgnoreCase))
                return new ContentShape(length, false, false, null);
            var chunked = ReadChunked(bytes, start);
            return new ContentShape(length, true, chunked.Complete, chunked.Completion);
        }
        if (cl.Count == 0) return new ContentShape(length, true, true, null);
        if (cl.Distinct(StringComparer.Ordinal).Count() != 1 || cl[0].Length == 0 || !cl[0].All(char.IsAsciiDigit))
            return new ContentShape(length, false, false, null);
        var available = bytes.Length - start;
        // A numeral past long is valid 1*DIGIT (RFC 9110 §8.6): content that long cannot be sent or finished.
        if (!long.TryParse(cl[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var declared))
            return new ContentShape(length, true, false, null);
        if (declared <= available) return new ContentShape(length, true, true, null);
        var rest = declared - available;
        // Line feeds: a server that left the sent content unread parses it and them as a request-line it must
        // refuse ("hello\n"), so the follow-up cannot be answered 2xx by accident.
        return new ContentShape(length, true, false, rest <= MaxCompletion ? Enumerable.Repeat((byte)'\n', (int)rest).ToArray() : null);
    }

    private static int LenientLength(List<string> te, List<string> cl, byte[] bytes, int start)
    {
        if (te.FirstOrDefault() is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            return LenientChunkedLength(bytes, start);
        return cl.FirstOrDefault() is { } value && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>The length of a chunked body from start; malformed chunked content runs to the end of the stream.</summary>
    private static int LenientChunkedLength(byte[] bytes, int start)
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

    private readonly record struct ChunkedShape(bool Complete, byte[]? Completion);

    /// <summary>
    /// A chunked body from start, read strictly (RFC 9112 §7.1, CRLF only): whether it is well-formed and
    /// complete, and for a well-formed but unfinished one the bytes that would finish it.
    /// </summary>
    private static ChunkedShape ReadChunked(byte[] bytes, int start)
    {
        var pos = start;
        while (true)
        {
            if (pos >= bytes.Length) return new ChunkedShape(false, "0\r\n\r\n"u8.ToArray());
            var lf = Array.IndexOf(bytes, (byte)'\n', pos);
            if (lf < 0) return new ChunkedShape(false, null);
            if (lf == pos || bytes[lf - 1] != '\r') return new ChunkedShape(false, null);
            var line = Encoding.Latin1.GetString(bytes, pos, lf - 1 - pos);
            // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): spaces may precede ";".
            var size = line.Contains(';', StringComparison.Ordinal) ? line.Split(';')[0].TrimEnd(' ', '\t') : line;
            if (size.Length == 0 || size.Length > 15 || !size.All(Uri.IsHexDigit) || line.Contains('\r', StringComparison.Ordinal))
                return new ChunkedShape(false, null);
            var n = long.Parse(size, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            pos = lf + 1;
            if (n == 0)
            {
                // The trailer section ends at the first empty line.
                while (true)
                {
                    if (pos >= bytes.Length) return new ChunkedShape(false, "\r\n"u8.ToArray());
                    var eol = Array.IndexOf(bytes, (byte)'\n', pos);
                    if (eol < 0 || eol == pos || bytes[eol - 1] != '\r') return new ChunkedShape(false, null);
                    var empty = eol == pos + 1;
                    pos = eol + 1;
                    if (empty) return new ChunkedShape(true, null);
                }
            }
            var dataEnd = pos + n;
            if (dataEnd > bytes.Length)
            {
                var rest = dataEnd - bytes.Length;
                return new ChunkedShape(false, rest <= MaxCompletion
                    ? [.. Enumerable.Repeat((byte)'#', (int)rest), .. "\r\n0\r\n\r\n"u8.ToArray()] : null);
            }
            pos = (int)dataEnd;
            if (pos + 2 > bytes.Length)
                return new ChunkedShape(false, pos == bytes.Length ? "\r\n0\r\n\r\n"u8.ToArray() : null);
            if (bytes[pos] != '\r' || bytes[pos + 1] != '\n') return new ChunkedShape(false, null);
            pos += 2;
        }
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
}
