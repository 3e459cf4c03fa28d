using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>The ranges, negotiated and writable roles are read strictly, and a bad value names its field.</summary>
public sealed class CoverageProfileTests
{
    private const string Head = """{ "name": "t", "roles": { """;

    [Test]
    public void The_new_roles_load_and_count_as_declared()
    {
        var p = TargetProfileLoader.Parse(Head + """
            "ranges": { "path": "/r" },
            "negotiated": { "path": "/n", "field": "Accept-Language", "values": ["en", "fr"] },
            "writable": { "path": "/w/" } } }
            """, "t.json");
        Assert.That(p.HasRole("ranges") && p.HasRole("negotiated") && p.HasRole("writable"), Is.True);
        Assert.That(p.Roles.Negotiated!.Values, Is.EqualTo(new[] { "en", "fr" }));
    }

    [TestCase("""{ "path": "/w" }""", "$.roles.writable.path", "writable")]
    [TestCase("""{ "path": "/n", "field": "Accept Language", "values": ["en", "fr"] }""", "$.roles.negotiated.field", "negotiated")]
    [TestCase("""{ "path": "/n", "field": "Accept-Language", "values": ["en"] }""", "$.roles.negotiated.values", "negotiated")]
    [TestCase("""{ "path": "/n", "field": "Accept-Language", "values": ["en", "en"] }""", "$.roles.negotiated.values", "negotiated")]
    [TestCase("""{ "path": "r" }""", "$.roles.ranges.path", "ranges")]
    public void A_bad_value_is_refused_naming_its_field(string role, string field, string name)
    {
        var e = Assert.Throws<ProfileException>(() => TargetProfileLoader.Parse(Head + $"\"{name}\": {role} }} }}", "t.json"));
        Assert.That(e!.Message, Does.Contain("t.json").And.Contain(field));
    }
}
