namespace Conformance.Harness.Wire;

/// <summary>The state of the byte stream when the parser was called: still open, or why it ended.</summary>
public enum StreamEnd
{
    Open,
    /// <summary>A read returned 0: the peer closed (this is what delimits a read-until-close body).</summary>
    Closed,
    Reset,
    /// <summary>The harness stopped waiting (idle read bound or response deadline).</summary>
    TimedOut,
}

/// <summary>A departure from the wire grammar found while framing a message, at a byte offset within it.</summary>
/// <param name="Fatal">True when framing could not continue past this point.</param>
public sealed record WireIssue(long Offset, string Description, bool Fatal);
