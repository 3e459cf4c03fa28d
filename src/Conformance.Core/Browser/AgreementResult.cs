using Conformance.Harness.Model;

namespace Conformance.Harness.Browser;

// The data a case result carries about a browser case's agreement with its raw counterparts (CaseResult.Agreement).
// It lives in Conformance.Core, apart from BrowserAgreement which computes it, so that CaseResult and the report
// writers need not reference the browser project.

public enum AgreementStatus
{
    /// <summary>Browser and raw cases both pass, or both find the server at fault.</summary>
    Agrees,
    /// <summary>One side passes where the other finds a fault.</summary>
    Disagrees,
    /// <summary>No raw counterpart ran and was judged, or the browser case itself was not judged (SKIP, ERROR).</summary>
    NotCompared,
}

/// <summary>A raw case's verdict, as it was compared.</summary>
public sealed record RawVerdict(string CaseId, Verdict Verdict);

/// <summary>How a browser case's verdict compares with the raw verdicts for the same behaviour.</summary>
public sealed record AgreementResult(AgreementStatus Status, Verdict BrowserVerdict, IReadOnlyList<RawVerdict> Raw, string Detail);
