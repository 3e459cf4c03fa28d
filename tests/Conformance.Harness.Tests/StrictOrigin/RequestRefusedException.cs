namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// The server refuses a request before the application sees it: the status and a one-line reason for the body.
/// Every refusal is followed by a close: the refused message's end is unknown or unread, so no further bytes on
/// the connection can be trusted to start a request (RFC 9112 §6.3, §9.6).
/// </summary>
internal sealed class RequestRefusedException(int status, string reason) : Exception(reason)
{
    public int Status { get; } = status;
}
