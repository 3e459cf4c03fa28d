using NUnit.Framework;
namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class RedirectAndMissingTests : ReferenceServerTestBase
{
    [Test]
    public void Old_location_is_301_to_new_location()
    {
        var reply = Get("/old-location");
        Assert.Multiple(() =>
        {
            Assert.That(reply.Head, Does.StartWith("HTTP/1.1 301 "));
            Assert.That(reply.Field("Location"), Is.EqualTo("/new-location"));
            Assert.That(reply.AfterMessage, Is.Empty);
        });
    }

    [Test]
    public void Head_old_location_is_301_without_content()
    {
        var reply = Head("/old-location");
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(301));
            Assert.That(reply.Field("Location"), Is.EqualTo("/new-location"));
            Assert.That(reply.AfterMessage, Is.Empty);
        });
    }

    [Test]
    public void New_location_is_200_html()
    {
        var reply = Get("/new-location");
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.Field("Content-Type"), Does.StartWith("text/html"));
    }

    private static IEnumerable<string> MissingPaths()
    {
        yield return "/missing";
        // Random paths as the profile's random missing role makes them, including file-like and deep ones.
        var random = new Random(20240101);
        for (var i = 0; i < 4; i++) yield return $"/nothing-here/{random.Next():x8}";
        yield return "/nothing-here/a.txt";
        yield return "/nothing-here/x/y/z/";
    }

    [TestCaseSource(nameof(MissingPaths))]
    public void Unrouted_paths_are_404_text_with_exact_framing(string path)
    {
        var reply = Get(path);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(404));
            Assert.That(reply.Field("Content-Type"), Does.StartWith("text/plain"));
            Assert.That(reply.Field("Content-Length"), Is.EqualTo(reply.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(reply.Body, Is.Not.Empty);
            Assert.That(reply.AfterMessage, Is.Empty);
        });
    }

    [Test]
    public void Head_missing_is_404_without_content()
    {
        var get = Get("/missing");
        var head = Head("/missing");
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(404));
            Assert.That(head.Field("Content-Length"), Is.EqualTo(get.Field("Content-Length")));
            Assert.That(head.AfterMessage, Is.Empty);
        });
    }
}
