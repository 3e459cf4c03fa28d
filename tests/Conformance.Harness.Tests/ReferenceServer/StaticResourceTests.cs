using NUnit.Framework;
using System.Text;

namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class StaticResourceTests : ReferenceServerTestBase
{
    [Test]
    public void Get_root_is_200_html_with_Date_Server_and_exact_length()
    {
        var reply = Get("/");
        Assert.Multiple(() =>
        {
            Assert.That(reply.Head, Does.StartWith("HTTP/1.1 200 OK\r\n"));
            Assert.That(reply.Field("Content-Type"), Does.StartWith("text/html"));
            Assert.That(reply.Field("Content-Length"), Is.EqualTo(reply.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(reply.Field("Date"), Does.EndWith(" GMT"));
            Assert.That(reply.Field("Server"), Is.EqualTo("Kestrel"));
            Assert.That(reply.BodyText, Does.Contain("<html>"));
            Assert.That(reply.AfterMessage, Is.Empty);
        });
    }

    [Test]
    public void Head_root_has_the_GET_headers_and_no_content()
    {
        var get = Get("/");
        var head = Head("/");
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(200));
            Assert.That(head.Field("Content-Length"), Is.EqualTo(get.Field("Content-Length")));
            Assert.That(head.Field("Content-Type"), Is.EqualTo(get.Field("Content-Type")));
            Assert.That(head.AfterMessage, Is.Empty, "HEAD must end at the empty line");
        });
    }

    [TestCase(1), TestCase(5), TestCase(9)]
    public void Pages_answer_their_own_number(int n)
    {
        var reply = Get($"/pages/{n}");
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.BodyText, Is.EqualTo($"page {n}"));
    }

    [Test]
    public void Pipelined_requests_are_answered_in_order()
    {
        using var connection = new RawConnection(Port);
        var order = new[] { 3, 1, 9, 2 };
        var requests = string.Concat(order.Select(n => $"GET /pages/{n} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        connection.Send(Encoding.ASCII.GetBytes(requests));
        var bodies = order.Select(_ => connection.ReadResponse().BodyText).ToArray();
        Assert.That(bodies, Is.EqualTo(order.Select(n => $"page {n}")));
    }

    [TestCase("/pages/0"), TestCase("/pages/10"), TestCase("/pages/01"), TestCase("/PAGES/1")]
    public void Only_the_documented_paths_exist(string path) => Assert.That(Get(path).Status, Is.EqualTo(404));
}
