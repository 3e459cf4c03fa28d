using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>The requirement catalog the harness's own inline fixtures cite, so they do not depend on the real sentences.</summary>
public static class TestRequirements
{
    public const string BareCr = "rfc9112-2.2-sample";
    public const string Host400 = "rfc9112-3.2-sample";
    public const string Harness = "rfc9112-9.3-sample";
    public const string Advice = "rfc9112-9.6-sample";

    public static RequirementCatalog Catalog { get; } = RequirementCatalog.Of(
        new Requirement(BareCr, new RfcReference(9112, "2.2"), RequirementLevel.Must, "A sender MUST NOT generate a bare CR.", "tests/sample.requirements", 1),
        new Requirement(Host400, new RfcReference(9112, "3.2"), RequirementLevel.Must, "A server MUST respond with a 400 (Bad Request) status code.", "tests/sample.requirements", 6),
        new Requirement(Harness, new RfcReference(9112, "9.3"), RequirementLevel.Must, "A test requirement sentence for the harness's own tests.", "tests/sample.requirements", 11),
        new Requirement(Advice, new RfcReference(9112, "9.6"), RequirementLevel.Should, "A sample sender SHOULD do this.", "tests/sample.requirements", 16));
}
