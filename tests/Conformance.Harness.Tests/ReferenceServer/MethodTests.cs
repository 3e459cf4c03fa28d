using NUnit.Framework;
namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class MethodTests : ReferenceServerTestBase
{
    [Test]
    public void Options_root_is_success_with_Allow_and_zero_length()
    {
        var reply = Send(RawConnection.Request("OPTIONS", "/"));
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(200).Or.EqualTo(204));
            Assert.That(reply.Field("Allow"), Is.EqualTo("GET, HEAD, OPTIONS"));
            Assert.That(reply.Field("Content-Length"), Is.EqualTo("0"));
            Assert.That(reply.AfterMessage, Is.Empty);
        });
    }

    [Test]
    public void Options_asterisk_addresses_the_server()
    {
        var reply = Send(RawConnection.Request("OPTIONS", "*"));
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.Field("Content-Length"), Is.EqualTo("0"));
        Assert.That(reply.Field("Allow"), Does.Contain("GET"));
    }

    [TestCase("FOO", "/"), TestCase("FOO", "/nothing-here/x"), TestCase("get", "/"), TestCase("PROPFIND", "/static/validated.txt")]
    public void Unrecognised_method_is_501(string method, string path)
    {
        var reply = Send(RawConnection.Request(method, path));
        Assert.That(reply.Status, Is.EqualTo(501));
        Assert.That(reply.AfterMessage, Is.Empty);
    }

    [TestCase("DELETE", "/", "GET, HEAD, OPTIONS")]
    [TestCase("PUT", "/pages/1", "GET, HEAD, OPTIONS")]
    [TestCase("TRACE", "/", "GET, HEAD, OPTIONS")]
    [TestCase("GET", "/echo", "POST, OPTIONS")]
    [TestCase("PUT", "/static/validated.txt", "GET, HEAD, POST, OPTIONS")]
    public void Known_but_disallowed_method_is_405_with_Allow(string method, string path, string allow)
    {
        var reply = Send(RawConnection.Request(method, path));
        Assert.That(reply.Status, Is.EqualTo(405));
        Assert.That(reply.Field("Allow"), Is.EqualTo(allow));
    }
}
