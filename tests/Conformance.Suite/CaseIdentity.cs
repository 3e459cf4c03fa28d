using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Suite;

/// <summary>
/// How a case appears in NUnit, the same for raw and browser cases: named by its id, with categories for
/// its area and level (so --filter "TestCategory=..." selects them) and its RFC section and fixture line.
/// </summary>
internal static class CaseIdentity
{
    public static TestCaseData Describe(this TestCaseData data, ConformanceCase c) => data
        .SetName(c.Id)
        .SetDescription(c.Description)
        .SetCategory(c.Area)
        .SetCategory(c.Level.ToKeyword())
        .SetProperty("RFC", c.Rfc.ToString())
        .SetProperty("Fixture", c.Location);
}
