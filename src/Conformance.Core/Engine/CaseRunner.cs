using System.Diagnostics;
using System.Text;
using Conformance.Harness.Checks;
using Conformance.Harness.Engine.Checks;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// Runs one case on its own connection: sends each block exactly, reads each response by its framing,
/// judges the outcome set, the response grammar, the assertions and the connection state. Every finding
/// names its requirement and fixture line. Nothing here waits a fixed time.
/// </summary>
public sealed class CaseRunner(Target target, RunSettings settings, NamedCheckRegistry checks)
{
    private Task<int?>? _plainPostStatus;
    private readonly Lock _plainPostGate = new();

    /// <summary>
    /// How the existing resource answers a plain, well-formed POST (asked once per runner, on its own
    /// connection): a fallback case's 405 or 501 with the same status refused the method, not the case's fault.
    /// </summary>
    private Task<int?> PlainPostStatusAsync()
    {
        lock (_plainPostGate) return _plainPostStatus ??= AskPlainPostAsync();
    }

    private async Task<int?> AskPlainPostAsync()
    {
        try
        {
            await using var connection = await target.ConnectAsync(settings.Wire, CancellationToken.None).ConfigureAwait(false);
            var path = target.Profile.Roles.Existing?.Path ?? "/";
            await connection.SendAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"), CancellationToken.None).ConfigureAwait(false);
            var answer = await connection.ReadResponseAsync(false, CancellationToken.None).ConfigureAwait(false);
            return answer.Response?.StatusCode;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<CaseResult> RunAsync(ConformanceCase @case, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        // Without an echo role a request-side case is judged on the existing resource, by a follow-up request
        // (EvidenceFallback); the report says which evidence each case was judged on.
        var plan = EvidenceFallback.Plan(@case, target.Profile);
        var run = new CaseRun(plan.Case, new CaseContext(@case, target, settings.Seed)) { Original = @case, Evidence = plan.Evidence };

        foreach (var role in plan.Case.NeededRoles)
        {
            if (!target.Profile.HasRole(role))
            {
                run.MissingRole = role;
                var why = role == Fixtures.Roles.Echo && EvidenceFallback.WhyNotAdaptable(@case) is { } reason ? $" ({reason})" : "";
                return run.Finish(Verdict.Skip, run.Context.RoleMissing(role) + why, started, clock.Elapsed);
            }
        }

        WireConnection? connection = null;
        try
        {
            connection = await target.ConnectAsync(settings.Wire, cancellationToken).ConfigureAwait(false);
            await RunStepsAsync(run, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (CaseSkippedException e)
        {
            run.SkipReason = e.Message;
            run.MissingRole = e.Role;
        }
        catch (TargetUnreachableException e)
        {
            run.ErrorReason = $"could not connect to {target.Authority}: {e.Message}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.ErrorReason = "the run was cancelled before this case finished";
        }
        finally
        {
            if (connection is not null)
            {
                run.Connections.Insert(0, new ConnectionTranscript("case", TranscriptCap.Keep(connection.Transcript, settings.Wire.MaxTranscriptBytes)));
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (@case.Liveness && run.ErrorReason is null && run.SkipReason is null)
        {
            var probe = await LivenessProbe.RunAsync(target, settings.Wire, @case, cancellationToken).ConfigureAwait(false);
            run.Connections.Add(probe.Transcript);
            if (probe.Finding is { } dead) run.Add(dead);
            if (probe.Finding is { Verdict: Verdict.Error } unproven) run.ErrorReason ??= unproven.Detail;
        }

        if (run.ErrorReason is { } error)
        {
            // A FAIL already proved stays a FAIL; only an unjudged case is an ERROR.
            var proved = run.Findings.Any(f => f.Verdict == Verdict.Fail);
            return run.Finish(proved ? Verdict.Fail : Verdict.Error, error, started, clock.Elapsed);
        }
        if (run.SkipReason is { } skip) return run.Finish(Verdict.Skip, skip, started, clock.Elapsed);
        var verdict = run.Findings.Select(f => f.Verdict).DefaultIfEmpty(Verdict.Pass).Max();
        return run.Finish(verdict, null, started, clock.Elapsed);
    }


    private async Task RunStepsAsync(CaseRun run, WireConnection connection, CancellationToken ct)
    {
        var pending = new Queue<RequestScanner.SentRequest>();
        var steps = run.Case.Steps;
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            switch (step)
            {
                case SendStep send:
                {
                    var bytes = run.Context.Render(send.Segments);
                    foreach (var request in RequestScanner.Scan(bytes)) pending.Enqueue(request);
                    await connection.SendAsync(bytes, ct).ConfigureAwait(false);
                    break;
                }
                case FollowUpStep followUp:
                    await FollowUpAsync(run, connection, followUp, ct).ConfigureAwait(false);
                    break;
                case PauseStep pause:
                    // Split delivery is the stimulus here: the gap between writes is what is being tested.
                    await Task.Delay(pause.Duration, ct).ConfigureAwait(false);
                    break;
                case ExpectStep expect:
                {
                    var request = pending.Count > 0 ? pending.Dequeue() : new RequestScanner.SentRequest("GET", "HTTP/1.1");
                    var stop = await ExpectAsync(run, connection, expect, request, ct).ConfigureAwait(false);
                    if (stop is not null && !NextStepJudgesTheClose(steps, index, stop))
                    {
                        ReportUnrunSteps(run, steps.Skip(index + 1).ToList(), stop);
                        return;
                    }
                    break;
                }
            }
        }

        // Bytes already here after the last expected response belong to no request of the case: a body
        // longer than its Content-Length, content on a HEAD/204/304, or an answer to a smuggled request.
        if (connection.BufferedByteCount > 0)
        {
            run.Add(new Finding
            {
                Verdict = Verdict.Fail,
                Kind = FindingKind.Grammar,
                Rule = "framing.extra-bytes",
                Level = RequirementLevel.Must,
                Rfc = CitedRequirements.Get(EngineRequirements.BodyLength).Rfc,
                Requirement = CitedRequirements.Get(EngineRequirements.BodyLength).Shown,
                Expected = "no bytes after the last response's framing ends",
                Actual = $"{connection.BufferedByteCount} more bytes arrived",
                Location = run.Case.Location,
            });
        }
    }

    /// <summary>
    /// Steps left when the connection can carry no more must not vanish silently. When the fixture accepted
    /// the ending (a close or timeout that earns PASS) it is the case's planned end. When the server ended the
    /// exchange in a way already judged (a close it announced, which RFC 9112 §9.3 and §9.6 allow; a close,
    /// timeout or broken message the outcome set or the grammar has judged), the steps were not reached and
    /// the case stands on what was answered. Only a limit of the harness itself leaves it unjudged (ERROR).
    /// </summary>
    private static void ReportUnrunSteps(CaseRun run, IReadOnlyList<CaseStep> remaining, StepStop stop)
    {
        if (!remaining.OfType<ExpectStep>().Any()) return;
        if (stop.Finding is { } breach) run.Add(breach);
        var lines = string.Join(", ", remaining.Select(r => r.Line));
        var (verdict, kind, rule, said) = stop.Kind switch
        {
            StopKind.Planned => (Verdict.Pass, FindingKind.Note, "steps-not-run", "did not run"),
            StopKind.NotReached => (Verdict.Pass, FindingKind.Note, NotReachedRule, "were not reached"),
            _ => (Verdict.Error, FindingKind.Harness, "steps-not-run", "did not run"),
        };
        run.Add(new Finding
        {
            Verdict = verdict,
            Kind = kind,
            Rule = rule,
            Detail = $"the steps at lines {lines} {said}: {stop.Why}",
            Location = run.Case.Location,
        });
        if (stop.Kind == StopKind.HarnessLimit) run.ErrorReason ??= $"could not run the whole case: {stop.Why}";
    }

    /// <summary>The rule of the note naming steps that an earlier, already judged ending left unreached.</summary>
    public const string NotReachedRule = "not-reached";

    /// <summary>How a case's steps ended early.</summary>
    private enum StopKind
    {
        /// <summary>The fixture accepted the ending (a close or timeout that earns PASS, a final status for Expect).</summary>
        Planned,
        /// <summary>The server ended the exchange in a way already judged; the case stands on what was answered.</summary>
        NotReached,
        /// <summary>The harness could not keep or read the whole message: the case cannot be judged in full.</summary>
        HarnessLimit,
    }

    /// <summary>Why a connection can carry no further step.</summary>
    /// <remarks>ByClose: the server closed or announced a close, which a next step accepting "close" may judge.</remarks>
    /// <remarks>Finding: what the ending itself broke, judged only when later steps needed the connection.</remarks>
    private sealed record StepStop(string Why, StopKind Kind, bool ByClose = false, Finding? Finding = null);

    /// <summary>
    /// A close that the very next step accepts ("expect: close | timeout | any FAIL within 300ms" after a
    /// smuggling stimulus) is that step's outcome, not an early end: the step runs and observes it.
    /// </summary>
    private static bool NextStepJudgesTheClose(IReadOnlyList<CaseStep> steps, int index, StepStop stop)
        => stop.ByClose && index + 1 < steps.Count && steps[index + 1] is ExpectStep next
            && next.Outcomes.Match(ObservedKind.Closed, null) is { Verdict: Verdict.Pass };

    /// <summary>Reads and judges one response. Returns why the connection can carry no further step, or null.</summary>
    private async Task<StepStop?> ExpectAsync(CaseRun run, WireConnection connection, ExpectStep expect, RequestScanner.SentRequest request, CancellationToken ct)
    {
        var isHead = request.Method == "HEAD";
        var limits = new ReadLimits { Within = StepBound.For(expect), StopAtInterim = expect.Outcomes.AcceptsInterim };
        var outcome = await connection.ReadResponseAsync(isHead, limits, ct).ConfigureAwait(false);
        var (kind, status, observed) = Classify(outcome);
        run.Observed.Add(observed);
        var location = $"{run.Case.SourceFile}:{expect.Line}";

        if (outcome.HeadCutByBound)
        {
            // The server had begun answering and the suite's own bound cut the head: a timeout of the suite,
            // named as one, never the server's "timeout" outcome (a slow 304 was judged as "no answer").
            return CutByBound(run, expect, location, "the whole response head within the read bounds", outcome.Detail ?? "a response head cut by the read bound", "while its head arrived");
        }
        var alternative = expect.Outcomes.Match(kind, status);
        var methodRefused = false;
        if (alternative is { MethodRefusal: true })
        {
            methodRefused = await PlainPostStatusAsync().ConfigureAwait(false) == status;
            if (!methodRefused) alternative = expect.Outcomes.Alternatives.FirstOrDefault(a => !a.MethodRefusal && a.Pattern.Matches(kind, status));
        }
        var assertions = expect.AssertionsFor(kind, status);
        run.Last = new LastExchange(kind, outcome.Response, request, alternative);
        if (alternative is { Refusal: true } && run.Evidence is { } planned) run.Evidence = EvidenceFallback.Refused(planned, status ?? 0);
        if (methodRefused && run.Evidence is { } refusedPlan) run.Evidence = EvidenceFallback.MethodRefused(refusedPlan, status ?? 0);
        if (alternative is { AnsweredUnread: true } && run.Evidence is { } early)
            run.Evidence = EvidenceFallback.AnsweredUnread(early, status ?? 0, alternative.Verdict == Verdict.Pass);
        var outcomeVerdict = alternative?.Verdict ?? run.Case.Level.VerdictWhenBroken();
        if (kind == ObservedKind.NotHttp && outcome.Received.Length > 0 && alternative is null && run.Responses.Count == 0)
        {
            // The first answer on the connection is not a response: it breaks the status-line grammar whatever
            // the case asked, at that rule's level, not the case's (a SHOULD case would only WARN). Later on a
            // connection such bytes are the tail of a misframed earlier message, which the outcome judges. To a
            // request-line without a readable version a server may answer HTTP/0.9-style (no status line): that
            // misses only the SHOULD for invalid request-lines, never a grammar of HTTP/1.1 responses.
            run.Add(request.Version == RequestScanner.NoVersion ? Http09AnswerFinding(outcome, location)
                : request.Version[5] != '1' ? OtherMajorVersionAnswerFinding(outcome, location, request.Version)
                : NotHttpFinding(outcome, location));
        }
        else if (outcomeVerdict != Verdict.Pass)
        {
            // The sentence the answer breaks: the one the alternative names ("2xx WARN[ID]"), else the case's own.
            var (brokenLevel, brokenRfc, brokenQuote) = VerdictLevels.SentenceOf(run.Case, alternative);
            run.Add(new Finding
            {
                Verdict = outcomeVerdict,
                Kind = FindingKind.Outcome,
                Rule = "outcome",
                Level = brokenLevel,
                Rfc = brokenRfc,
                Requirement = brokenQuote,
                Expected = expect.Outcomes.Describe() is { Length: > 0 } d ? d : expect.Outcomes.ToString(),
                Actual = Describe(outcome),
                Detail = alternative is null ? null : $"the fixture judges \"{alternative.Pattern}\" as {alternative.Verdict.ToLabel()}",
                Location = location,
            });
        }

        // A rule the step focuses on ("check: grammar RULE") is reported by that check, with the case's
        // requirement and line, rather than twice.
        var focused = assertions.OfType<NamedCheckAssertion>()
            .Where(a => a.CheckName == GrammarRuleHolds.CheckName).Select(a => a.Arguments[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var response in outcome.Interim.Append(outcome.Response).OfType<RawResponse>())
        {
            run.ServerHeader ??= response.Header("Server");
            var isFinal = ReferenceEquals(response, outcome.Response);
            foreach (var v in ResponseGrammar.Check(new ResponseContext(response, request.Method, request.Version, DateTimeOffset.UtcNow)))
            {
                if (isFinal && focused.Contains(v.CheckId)) continue;
                run.Add(new Finding
                {
                    Verdict = v.Verdict,
                    Kind = FindingKind.Grammar,
                    Rule = v.CheckId,
                    Level = v.Level,
                    Rfc = v.Rfc,
                    Requirement = v.Requirement,
                    Detail = v.Message,
                    Offset = v.Offset,
                    Location = location,
                });
            }
        }

        var response0 = outcome.Response;
        // A response the suite's own bound cut is not the server's whole answer (a slow server, a loaded machine):
        // a body or named check would judge the missing part as absent (a cookie checker's "recogni" for
        // "recognised"), and what the connection does next is unknown. Only the fields of a complete head are judged;
        // the timeout finding below says the rest was not.
        var cutByBound = response0 is { Complete: false, Truncated: false, EndedBy: StreamEnd.TimedOut };
        if (response0 is not null)
        {
            var wholeHead = response0.HeaderTerminator is not null;
            foreach (var assertion in assertions.Where(a => a is not ConnectionAssertion
                         && !(cutByBound && (a is BodyAssertion or NamedCheckAssertion || !wholeHead))))
                Evaluate(run, assertion, response0, request, location);
            run.Responses.Add(response0);
        }

        // Connection checks ("check: close-announced", ...) judge what the connection does after the response,
        // so they run with the connection assertions, after every check on the response itself.
        if (response0 is not null && !cutByBound)
        {
            foreach (var n in assertions.OfType<NamedCheckAssertion>().Where(a => checks.Get(a.CheckName) is ConnectionCheck))
                await EvaluateConnectionCheckAsync(run, connection, n, response0, request, ct).ConfigureAwait(false);
        }

        foreach (var assertion in assertions.OfType<ConnectionAssertion>().Where(_ => !cutByBound))
            await EvaluateConnectionAsync(run, connection, assertion, kind, response0, request, ct).ConfigureAwait(false);

        // A step that waits for an interim response and gets a final one instead (a server may answer an
        // Expect: 100-continue with a final status at once, RFC 9110 §10.1.1): the later steps, which send
        // the content the 100 would have invited, no longer apply.
        if (expect.Outcomes.AcceptsInterim && response0 is { IsInterim: false })
            return new StepStop($"the step at line {expect.Line} got a final status where a 100 (Continue) was possible", StopKind.Planned);
        if (cutByBound && response0 is not null)
        {
            // The suite's own bound cut the message: a timeout, named as one. Its framing was never seen whole,
            // so no grammar or framing rule is judged on the missing part (the checks skip it).
            return CutByBound(run, expect, location, "the whole response within the read bounds", $"{response0.IncompleteReason}", "before it ended");
        }
        if (response0 is { Truncated: true })
        {
            // The harness stopped keeping bytes at its cap, so it cannot judge the whole message: never a PASS.
            var head = response0.HeaderTerminator is null;
            run.Add(new Finding
            {
                Verdict = head ? Verdict.Error : Verdict.Pass,
                Kind = head ? FindingKind.Harness : FindingKind.Note,
                Rule = head ? "head-over-cap" : "body-over-cap",
                Detail = head
                    ? $"the response head exceeded the harness's cap of {settings.Wire.MaxHeadBytes} bytes before its empty line, so it could not be judged ({response0.IncompleteReason})"
                    : $"only the first {settings.Wire.MaxBodyBytes} content bytes were kept and judged ({response0.IncompleteReason})",
                Location = location,
            });
            if (head) run.ErrorReason ??= $"the response head exceeded the harness's cap of {settings.Wire.MaxHeadBytes} bytes";
            return new StepStop("the response was larger than the harness keeps", StopKind.HarnessLimit);
        }
        // The outcome set has judged a close, a timeout or bytes that are not HTTP; later steps have no connection.
        if (kind != ObservedKind.Status)
            return new StepStop($"the step at line {expect.Line} observed {observed}", alternative is { Verdict: Verdict.Pass } ? StopKind.Planned : StopKind.NotReached, ByClose: kind == ObservedKind.Closed);
        // RFC 9112 §9.3/§9.6: a server that says "close" may close; sending the next step anyway would turn a
        // legitimate close into a false verdict. (A connection assertion on this step has already judged it.)
        if (AnnouncesClose(response0, request))
            return new StepStop($"the response at line {expect.Line} announced that the connection closes ({CloseAnnouncement(response0!, request)})", StopKind.NotReached, ByClose: true);
        if (connection.RemoteEnded)
        {
            // Judged only when later steps needed the connection: that is when the silent close cost the client.
            var breach = UnannouncedCloseBreaksPersistence(response0!, request) && !assertions.OfType<ConnectionAssertion>().Any()
                ? UnannouncedCloseFinding(response0!, location) : null;
            return new StepStop($"the server closed the connection after the response at line {expect.Line} without announcing it", StopKind.NotReached, ByClose: true, breach);
        }
        // The grammar has judged a message the server left incomplete; nothing after it is at a message boundary.
        return response0 is { Complete: true } ? null : new StepStop($"the response at line {expect.Line} was incomplete ({response0?.IncompleteReason})", StopKind.NotReached);
    }

    /// <summary>The rule of a finding about a response cut by the suite's own read bound.</summary>
    public const string TimeoutRule = "timeout";

    /// <summary>
    /// A response the suite's own bound cut: a timeout of the suite, named as one (ERROR, with the bounds to
    /// raise), never the server's "timeout" outcome and never a grammar or framing finding on the missing part.
    /// </summary>
    private StepStop CutByBound(CaseRun run, ExpectStep expect, string location, string expected, string actual, string when)
    {
        run.Add(new Finding
        {
            Verdict = Verdict.Error,
            Kind = FindingKind.Harness,
            Rule = TimeoutRule,
            Expected = expected,
            Actual = actual,
            Detail = $"the response at line {expect.Line} was cut by the suite's own bound {when} (read timeout {settings.Wire.ReadTimeout.TotalMilliseconds:0} ms between bytes, "
                + $"response deadline {settings.Wire.ResponseDeadline.TotalMilliseconds:0} ms); it is not judged as incomplete. "
                + "A server this slow can be given more time with --read-timeout and --response-deadline.",
            Location = location,
        });
        run.ErrorReason ??= $"the response at line {expect.Line} was cut by the suite's read bound ({actual})";
        return new StepStop($"the response at line {expect.Line} was cut by the suite's read bound", StopKind.NotReached);
    }

    /// <summary>The rule of a finding about a connection closed after a response that said it would persist.</summary>
    public const string UnannouncedCloseRule = "connection.unannounced-close";

    private static string CloseAnnouncement(RawResponse response, RequestScanner.SentRequest request)
        => HasConnectionOption(response, "close") ? "Connection: close"
            : response.HttpVersion == "HTTP/1.0" ? "an HTTP/1.0 response without keep-alive"
            : "an HTTP/1.0 request without keep-alive";

    /// <summary>
    /// RFC 9112 §9.3: an HTTP/1.1 response without "close", to an HTTP/1.1 request that did not ask to close,
    /// says the connection persists, and "A server that does not support persistent connections MUST send the
    /// close connection option in every response message that does not have a 1xx status code." Held to
    /// ordinary answers (2xx, 3xx, 404, 410) of well-formed requests: after refusing a request a server may
    /// well end the connection (RFC 9112 §9.5 lets it close at any time), so a silent close there is no proof
    /// that it never persists.
    /// </summary>
    private static bool UnannouncedCloseBreaksPersistence(RawResponse response, RequestScanner.SentRequest request)
        => request.Version == "HTTP/1.1" && !request.AskedClose && response.HttpVersion == "HTTP/1.1"
            && response.StatusCode is (>= 200 and < 400) or 404 or 410
            && !HasConnectionOption(response, "close");

    private static Finding UnannouncedCloseFinding(RawResponse response, string location) => new()
    {
        // RFC 9112 §9.6 lets any party close at any time; announcing it is a SHOULD, so a silent close is a WARN.
        Verdict = Verdict.Warn,
        Kind = FindingKind.Check,
        Rule = UnannouncedCloseRule,
        Level = RequirementLevel.Should,
        Rfc = CitedRequirements.Get(EngineRequirements.UnannouncedClose).Rfc,
        Requirement = EngineRequirements.Quote(EngineRequirements.UnannouncedClose, EngineRequirements.CloseAtAnyTime),
        Expected = "the connection persists after an HTTP/1.1 response without \"close\", or the response carries \"Connection: close\"",
        Actual = $"the server closed the connection after \"{ByteText.Escape(response.StatusLine.Content)}\" (Connection field {Checks.CloseAnnounced.Show(response)})",
        Location = location,
    };

    private static Finding NotHttpFinding(ReadOutcome outcome, string location)
    {
        var shown = outcome.Received.AsSpan(0, Math.Min(outcome.Received.Length, 64));
        return new Finding
        {
            Verdict = Verdict.Fail,
            Kind = FindingKind.Grammar,
            Rule = "status-line.http-name",
            Level = RequirementLevel.Grammar,
            Rfc = CitedRequirements.Get(EngineRequirements.NotHttp).Rfc,
            Requirement = CitedRequirements.Get(EngineRequirements.NotHttp).Shown,
            Expected = "a status line beginning \"HTTP/\"",
            Actual = $"{outcome.Received.Length} bytes that are not an HTTP response, beginning \"{ByteText.Escape(shown)}\"",
            Offset = 0,
            Location = location,
        };
    }

    /// <summary>How an answer without a status line is shown: its length and first bytes.</summary>
    private static string BareAnswer(ReadOutcome outcome)
        => $"an HTTP/0.9-style answer without a status line, {outcome.Received.Length} bytes beginning \"{ByteText.Escape(outcome.Received.AsSpan(0, Math.Min(outcome.Received.Length, 64)))}\"";

    private static Finding Http09AnswerFinding(ReadOutcome outcome, string location) => new()
    {
        Verdict = Verdict.Warn,
        Kind = FindingKind.Outcome,
        Rule = "request-line.http09-answer",
        Level = RequirementLevel.Should,
        Rfc = CitedRequirements.Get(EngineRequirements.Http09Answer).Rfc,
        Requirement = CitedRequirements.Get(EngineRequirements.Http09Answer).Shown,
        Expected = "a 400 (or 301) with a status line",
        Actual = BareAnswer(outcome),
        Detail = "the request-line carried no readable HTTP-version, and the server answered as to HTTP/0.9",
        Location = location,
    };

    /// <summary>
    /// An answer without a status line to a request-line whose major version is not 1 ("HTTP/2.0" or "HTTP/0.9"
    /// sent as text): the HTTP/1.1 response grammar does not bind an answer to a request that is not HTTP/1.x.
    /// RFC 9110 §6.2 asks for the highest version the server conforms to with a major version no higher than
    /// the request's: HTTP/1.1 for 2.0 and up (breaking that is a SHOULD, WARN), HTTP/0.9 for 0.9 (which such an
    /// answer is: INFO, shown but not held against the server).
    /// </summary>
    private static Finding OtherMajorVersionAnswerFinding(ReadOutcome outcome, string location, string version)
    {
        var above = version[5] > '1';
        return new Finding
        {
            Verdict = above ? Verdict.Warn : Verdict.Info,
            Kind = FindingKind.Outcome,
            Rule = "version.other-major-answer",
            Level = RequirementLevel.Should,
            Rfc = CitedRequirements.Get(EngineRequirements.OtherMajorAnswer).Rfc,
            Requirement = CitedRequirements.Get(EngineRequirements.OtherMajorAnswer).Shown,
            Expected = above ? "an HTTP/1.1 response (a 505, or the answer to the request)" : "an HTTP/0.9 answer from a server that supports HTTP/0.9, or an HTTP/1.x response",
            Actual = BareAnswer(outcome),
            Detail = $"the request-line carried {version}, whose major version is not 1, and the server answered as to HTTP/0.9",
            Location = location,
        };
    }

    private static bool HasConnectionOption(RawResponse response, string option)
        => response.FieldsNamed("Connection").SelectMany(f => f.Value.Split(',', StringSplitOptions.TrimEntries))
            .Contains(option, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the response says the connection ends after it: "Connection: close", or HTTP/1.0 without keep-alive.</summary>
    internal static bool AnnouncesClose(RawResponse? response, RequestScanner.SentRequest request)
    {
        if (response is null) return false;
        if (HasConnectionOption(response, "close")) return true;
        var http10 = response.HttpVersion == "HTTP/1.0" || request.Version == "HTTP/1.0";
        return http10 && !HasConnectionOption(response, "keep-alive");
    }

    private static (ObservedKind Kind, int? Status, string Observed) Classify(ReadOutcome outcome) => outcome.Kind switch
    {
        ReadOutcomeKind.Response => (ObservedKind.Status, outcome.Response?.StatusCode,
            outcome.Response?.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "malformed-status"),
        ReadOutcomeKind.ClosedBeforeResponse or ReadOutcomeKind.ResetBeforeResponse => (ObservedKind.Closed, null, "close"),
        ReadOutcomeKind.TimedOut => (ObservedKind.Timeout, null, "timeout"),
        _ => (ObservedKind.NotHttp, null, "not-http"),
    };

    private static string Describe(ReadOutcome outcome) => outcome.Kind switch
    {
        ReadOutcomeKind.Response when outcome.Response is { } r => ByteText.Escape(r.StatusLine.Content) + (r.Complete ? "" : $" (incomplete: {r.IncompleteReason})"),
        ReadOutcomeKind.ClosedBeforeResponse => "the server closed the connection without a response",
        ReadOutcomeKind.ResetBeforeResponse => "the server reset the connection without a response",
        ReadOutcomeKind.TimedOut => $"no response ({outcome.Detail})",
        _ => $"not an HTTP response: {ByteText.Escape(outcome.Received.AsSpan(0, Math.Min(outcome.Received.Length, 64)))}",
    };

    private void Evaluate(CaseRun run, Assertion assertion, RawResponse response, RequestScanner.SentRequest request, string stepLocation)
    {
        var location = $"{run.Case.SourceFile}:{assertion.Line}";
        switch (assertion)
        {
            case CaptureAssertion capture:
            {
                var (value, what) = capture.Source == CaptureSource.Cookie
                    ? CaptureCookie(run, response, capture.FieldName)
                    : (response.Header(capture.FieldName), $"{capture.FieldName} field");
                if (value is null) run.Context.CaptureMissing(capture.Name, $"the response at {stepLocation} had no {what} to capture as \"{capture.Name}\"");
                else run.Context.Capture(capture.Name, value);
                return;
            }
            case HeaderAssertion h:
            {
                var lines = response.FieldsNamed(h.FieldName).ToList();
                var operand = run.Context.RenderText(h.Operand);
                var actual = lines.Count == 0 ? $"no {h.FieldName} field" : string.Join(" / ", lines.Select(l => $"{h.FieldName}: {l.Value}"));
                var (holds, expected) = h.Op switch
                {
                    HeaderOp.Present => (lines.Count > 0, $"a {h.FieldName} field"),
                    HeaderOp.Absent => (lines.Count == 0, $"no {h.FieldName} field"),
                    HeaderOp.Equals => (lines.Count > 0 && lines.All(l => l.Value == operand), $"{h.FieldName}: {operand}"),
                    HeaderOp.Contains => (lines.Any(l => l.Value.Contains(operand, StringComparison.OrdinalIgnoreCase)), $"{h.FieldName} containing \"{operand}\""),
                    HeaderOp.NotContains => (!lines.Any(l => l.Value.Contains(operand, StringComparison.OrdinalIgnoreCase)), $"no {h.FieldName} containing \"{operand}\""),
                    HeaderOp.Count => (lines.Count == int.Parse(operand, System.Globalization.CultureInfo.InvariantCulture), $"{operand} {h.FieldName} field line(s)"),
                    _ => (false, "?"),
                };
                if (h.Op == HeaderOp.Count) actual = $"{lines.Count} {h.FieldName} field line(s)";
                if (!holds) run.Add(AssertionFinding(run, assertion, $"header {h.FieldName}", expected, actual, location));
                return;
            }
            case BodyAssertion b:
            {
                var body = Encoding.Latin1.GetString(response.Body);
                var operand = run.Context.RenderText(b.Operand);
                var (holds, expected) = b.Op switch
                {
                    BodyOp.Empty => (response.Body.Length == 0, "no content"),
                    BodyOp.NotEmpty => (response.Body.Length > 0, "some content"),
                    BodyOp.Equals => (body == operand, $"content \"{operand}\""),
                    BodyOp.Contains => (body.Contains(operand, StringComparison.Ordinal), $"content containing \"{operand}\""),
                    BodyOp.NotContains => (!body.Contains(operand, StringComparison.Ordinal), $"content not containing \"{operand}\""),
                    _ => (false, "?"),
                };
                if (!holds) run.Add(AssertionFinding(run, assertion, "body", expected, $"{response.Body.Length} bytes: {ByteText.Escape(response.Body.AsSpan(0, Math.Min(response.Body.Length, 120)))}", location));
                return;
            }
            case NamedCheckAssertion n when checks.Get(n.CheckName) is ConnectionCheck:
                return; // run after the response's own assertions, see ExpectAsync
            case NamedCheckAssertion n:
            {
                var args = n.Arguments.Select(run.Context.RenderText).ToList();
                var result = checks.Get(n.CheckName).Evaluate(new CheckContext(response, args, run.Context, run.Responses, request.Method, request.Version, request.AskedClose, request.AskedKeepAlive));
                AddCheckFinding(run, n, result, location);
                return;
            }
        }
    }

    private static void AddCheckFinding(CaseRun run, NamedCheckAssertion n, CheckOutcome result, string location)
    {
        if (result.Holds) return;
        var (level, rfc, quote) = VerdictLevels.SentenceOf(run.Case, n);
        run.Add(new Finding
        {
            Verdict = level.VerdictWhenBroken(),
            Kind = FindingKind.Check,
            Rule = n.CheckName,
            Level = level,
            Rfc = rfc,
            Requirement = quote,
            Expected = result.Expected,
            Actual = result.Actual,
            Detail = result.Detail,
            Offset = result.Offset,
            Location = location,
        });
    }

    private async Task EvaluateConnectionCheckAsync(CaseRun run, WireConnection connection, NamedCheckAssertion n, RawResponse response, RequestScanner.SentRequest request, CancellationToken ct)
    {
        var args = n.Arguments.Select(run.Context.RenderText).ToList();
        var context = new CheckContext(response, args, run.Context, run.Responses, request.Method, request.Version, request.AskedClose, request.AskedKeepAlive);
        var check = (ConnectionCheck)checks.Get(n.CheckName);
        var result = await check.EvaluateAsync(context, new ConnectionProbe(connection, target, settings.Wire), ct).ConfigureAwait(false);
        AddCheckFinding(run, n, result, $"{run.Case.SourceFile}:{n.Line}");
    }

    /// <summary>
    /// RFC 6265 §4.1.1: each Set-Cookie line sets one cookie; the capture keeps its cookie-pair ("name=value"),
    /// exactly what a user agent sends back in Cookie (§4.2.1). The name may be {cookie.name} (the profile's).
    /// </summary>
    private static (string? Value, string What) CaptureCookie(CaseRun run, RawResponse response, string cookieName)
    {
        var name = run.Context.RenderText(cookieName);
        var pair = response.FieldsNamed("Set-Cookie").Select(f => SetCookieGrammar.Pair(f.Value))
            .FirstOrDefault(p => p is { } v && string.Equals(v.Name.Trim(), name, StringComparison.Ordinal));
        return (pair is { } found ? $"{found.Name.Trim()}={found.Value.Trim()}" : null, $"Set-Cookie line for cookie \"{name}\"");
    }

    private static Finding AssertionFinding(CaseRun run, Assertion assertion, string rule, string expected, string actual, string location)
    {
        var (level, rfc, quote) = VerdictLevels.SentenceOf(run.Case, assertion);
        return AssertionFinding(run, level, rfc, quote, rule, expected, actual, location);
    }

    private static Finding AssertionFinding(CaseRun run, RequirementLevel level, RfcReference rfc, string quote, string rule, string expected, string actual, string location) => new()
    {
        Verdict = level.VerdictWhenBroken(),
        Kind = FindingKind.Assertion,
        Rule = rule,
        Level = level,
        Rfc = rfc,
        Requirement = quote,
        Expected = expected,
        Actual = actual,
        Location = location,
    };

    /// <summary>
    /// "open" is proved by a follow-up request that gets an answer, never by waiting; "closed" is a read of
    /// 0 bytes or a reset within the close bound.
    /// </summary>
    private async Task EvaluateConnectionAsync(CaseRun run, WireConnection connection, ConnectionAssertion assertion, ObservedKind kind,
        RawResponse? response, RequestScanner.SentRequest request, CancellationToken ct)
    {
        var location = $"{run.Case.SourceFile}:{assertion.Line}";
        if (assertion.State == ConnectionState.Closed)
        {
            if (kind == ObservedKind.Closed || connection.RemoteEnded) return;
            var seen = await connection.WaitForCloseAsync(settings.Wire.CloseTimeout, ct).ConfigureAwait(false);
            if (seen is CloseObservation.Closed or CloseObservation.Reset) return;
            run.Add(AssertionFinding(run, assertion, "connection closed", "the server closes the connection",
                seen == CloseObservation.DataArrived
                    ? "the server sent more bytes instead of closing"
                    : $"the connection was still open {settings.Wire.CloseTimeout.TotalMilliseconds:0} ms later", location));
            return;
        }

        if (kind == ObservedKind.Status && response is not null && AnnouncesClose(response, request))
        {
            // RFC 9112 §9.3 and §9.6: a server may decline to persist, and says so; the close it announced is
            // no breach, so persistence is not reached rather than failed.
            run.Add(new Finding
            {
                Verdict = Verdict.Pass,
                Kind = FindingKind.Note,
                Rule = NotReachedRule,
                Detail = $"\"connection: open\" was not judged: the response announced that the connection closes ({CloseAnnouncement(response, request)})",
                Location = location,
            });
            return;
        }
        if (kind != ObservedKind.Status || connection.RemoteEnded)
        {
            run.Add(AssertionFinding(run, assertion, "connection open", "the connection stays open for another request", "the server closed the connection", location));
            return;
        }
        var probePath = target.Profile.Roles.Existing?.Path ?? "/";
        var probe = Encoding.ASCII.GetBytes($"GET {probePath} HTTP/1.1\r\nHost: {target.Authority}\r\n\r\n");
        await connection.SendAsync(probe, ct).ConfigureAwait(false);
        var answer = await connection.ReadResponseAsync(false, ct).ConfigureAwait(false);
        if (answer.Kind == ReadOutcomeKind.Response && answer.Response is { } r)
        {
            foreach (var v in ResponseGrammar.Check(new ResponseContext(r, "GET", "HTTP/1.1", DateTimeOffset.UtcNow)))
                run.Add(new Finding { Verdict = v.Verdict, Kind = FindingKind.Grammar, Rule = v.CheckId, Level = v.Level, Rfc = v.Rfc, Requirement = v.Requirement, Detail = "in the response to the follow-up request: " + v.Message, Offset = v.Offset, Location = location });
            return;
        }
        run.Add(AssertionFinding(run, assertion, "connection open", "a follow-up request on the same connection is answered", Describe(answer), location));
    }

    /// <summary>What the last expect step observed, for a <see cref="FollowUpStep"/>.</summary>
    private sealed record LastExchange(ObservedKind Kind, RawResponse? Response, RequestScanner.SentRequest Request, OutcomeAlternative? Alternative);

    /// <summary>
    /// The follow-up of <see cref="EvidenceFallback"/>: after an answer that claims the content was read (2xx)
    /// or refused without judging its framing (405, 411, 413, 415, 501), a GET for the existing resource on the
    /// same connection must get the answer it gets anywhere (2xx). A 400 or an answer to something else shows
    /// the server read too few content bytes and parsed the rest as a request; no answer shows it read too many.
    /// A close ends every disagreement about framing, so it is judged only as a connection that was announced
    /// (RFC 9112 §9.3) or allowed (a 413, RFC 9110 §15.5.14).
    /// </summary>
    private async Task FollowUpAsync(CaseRun run, WireConnection connection, FollowUpStep step, CancellationToken ct)
    {
        var location = $"{run.Case.SourceFile}:{step.Line}";
        void Note(string detail) => run.Add(new Finding { Verdict = Verdict.Pass, Kind = FindingKind.Note, Rule = FollowUpRule, Detail = detail, Location = location });
        if (run.Last is not { Kind: ObservedKind.Status, Response: { } first } last)
            return; // no answer to follow: the outcome already judged the close or timeout
        var status = first.StatusCode ?? 0;
        var refused = EvidenceFallback.RefusalStatuses.Contains(status);
        if (last.Alternative is not { Verdict: Verdict.Pass } || (status / 100 != 2 && !refused))
        {
            Note($"no follow-up request: the answer {status} rejected the request, so its content was not claimed as read");
            return;
        }
        if (AnnouncesClose(first, last.Request))
        {
            Note($"no follow-up request: the answer {status} announced that the connection closes");
            return;
        }

        var path = target.Profile.Roles.Existing?.Path ?? "/";
        var request = $"GET {path} HTTP/1.1\r\nHost: {target.Authority}\r\n\r\n";
        ReadOutcome answer;
        if (connection.RemoteEnded)
            answer = new ReadOutcome { Kind = ReadOutcomeKind.ClosedBeforeResponse, Received = [] };
        else
        {
            // Content the case left unfinished is finished first: a server that answered before reading it
            // still has to read it (or close), and only then is the follow-up a request of its own.
            await connection.SendAsync((step.Completion ?? []).Concat(Encoding.ASCII.GetBytes(request)).ToArray(), ct).ConfigureAwait(false);
            answer = await connection.ReadResponseAsync(false, ct).ConfigureAwait(false);
        }
        run.Observed.Add(Classify(answer).Observed);
        var expected = $"the follow-up \"GET {path}\" on the same connection is answered 2xx, as on a fresh connection";
        if (answer.Kind is ReadOutcomeKind.ClosedBeforeResponse or ReadOutcomeKind.ResetBeforeResponse)
        {
            // RFC 9112 §9.5: a server MAY close the connection at any time, e.g. on finding malformed the content
            // it had already refused (a 405 sent before the content was read, then a close): never a FAIL here.
            // No byte can be misread on a closed connection, but the framing was not observed either.
            Note($"the server closed the connection after its {status} without announcing it (RFC 9112 §9.5 allows a close at any time{(status == 413 ? "; RFC 9110 §15.5.14 names it for a 413" : "")}): no bytes could be misread on it, but its framing was not observed");
            if (run.Evidence is { } planned)
            {
                var compared = planned.Description.StartsWith("content compared", StringComparison.Ordinal);
                var suffix = compared ? "; content compared through the echo role" : planned.Weaker ? "; " + EvidenceFallback.NoEchoNote : "";
                run.Evidence = planned with { Description = $"outcome judged; framing not observed (the server closed the connection after its {status}){suffix}", Weaker = true };
            }
            return;
        }
        if (answer.Kind == ReadOutcomeKind.Response && answer.Response is { StatusCode: >= 200 and < 300 } ok)
        {
            foreach (var v in ResponseGrammar.Check(new ResponseContext(ok, "GET", "HTTP/1.1", DateTimeOffset.UtcNow)))
                run.Add(new Finding { Verdict = v.Verdict, Kind = FindingKind.Grammar, Rule = v.CheckId, Level = v.Level, Rfc = v.Rfc, Requirement = v.Requirement, Detail = "in the response to the follow-up request: " + v.Message, Offset = v.Offset, Location = location });
            Note($"the follow-up request on the same connection was answered {ok.StatusCode}: the server read exactly the content the framing says");
            return;
        }
        run.Add(new Finding
        {
            Verdict = Verdict.Fail,
            Kind = FindingKind.Check,
            Rule = FollowUpRule,
            Level = RequirementLevel.Must,
            Rfc = CitedRequirements.Get(EngineRequirements.BodyLength).Rfc,
            Requirement = CitedRequirements.Get(EngineRequirements.BodyLength).Shown,
            Expected = expected,
            Actual = answer.Kind == ReadOutcomeKind.TimedOut
                ? $"no answer ({answer.Detail}): the server is still reading content the framing says has ended"
                : $"{Describe(answer)}: the server read part of the previous request's content as a new request",
            Location = location,
        });
    }

    /// <summary>The rule of the follow-up's findings.</summary>
    public const string FollowUpRule = "framing-follow-up";

    /// <summary>Mutable state of one case while it runs; never shared between cases.</summary>
    private sealed class CaseRun(ConformanceCase @case, CaseContext context)
    {
        public ConformanceCase Case { get; } = @case;
        public CaseContext Context { get; } = context;
        public List<Finding> Findings { get; } = [];
        public List<ConnectionTranscript> Connections { get; } = [];
        public List<string> Observed { get; } = [];
        public List<RawResponse> Responses { get; } = [];
        public string? ServerHeader { get; set; }
        public string? SkipReason { get; set; }
        public string? ErrorReason { get; set; }
        public LastExchange? Last { get; set; }

        /// <summary>The case as the fixture wrote it (reports name it); <see cref="Case"/> is what runs.</summary>
        public ConformanceCase? Original { get; init; }
        public CaseEvidence? Evidence { get; set; }
        public string? MissingRole { get; set; }

        public void Add(Finding finding) => Findings.Add(finding);

        public CaseResult Finish(Verdict verdict, string? reason, DateTimeOffset started, TimeSpan duration) => new()
        {
            Case = Original ?? Case,
            Verdict = verdict,
            // A SKIP was judged on nothing: only a case that ran carries its evidence.
            Evidence = verdict == Verdict.Skip ? null : Evidence,
            MissingRole = verdict == Verdict.Skip ? MissingRole : Evidence?.FullEvidenceRole,
            Findings = Findings,
            Connections = Connections,
            Observed = Observed,
            StartedAt = started,
            Duration = duration,
            ServerHeader = ServerHeader,
            Reason = reason,
            RandomValues = [.. Context.RandomValues],
        };
    }
}
