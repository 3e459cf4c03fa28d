namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// One broken rule per value; each maps to the grammar check that must catch it (see FaultCatalog in the
/// tests). New faults (keep-alive, 304, cookies, request-side) are added here as the suite grows.
/// </summary>
public enum ResponseFault
{
    None,
    LowercaseHttpName,
    BadVersion,
    TwoDigitStatus,
    NoSpAfterStatusCode,
    CtlInReason,
    HigherMajorVersion,
    DowngradedVersion,
    LfOnlyLines,
    BareCr,
    NoEmptyLine,
    SpaceBeforeColon,
    BadFieldName,
    ObsFold,
    CtlInFieldValue,
    MissingDate,
    BadDateFormat,
    ClOn204,
    TeOn204,
    ClAndTe,
    ConflictingContentLength,
    BodyOnHead,
    ContentLengthTooLong,
    MissingLastChunk,
    TeInResponseTo10,
    BadChunkSize,
}
