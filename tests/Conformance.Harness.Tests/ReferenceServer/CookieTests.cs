using NUnit.Framework;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed partial class CookieTests : ReferenceServerTestBase
{
    // RFC 6265 §4.1.1: cookie-pair = token "=" cookie-value; cookie-octets exclude CTLs, SP, DQUOTE, ',', ';', '\'.
    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+=(?:[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*|""[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"")$")]
    private static partial Regex CookiePair();

    // The attributes these cookies use, each exactly as §4.1.1 spells its grammar.
    [GeneratedRegex(@"^(?:Path=[\x20-\x3A\x3C-\x7E]+|HttpOnly|Secure|SameSite=(?:Lax|Strict|None)|Max-Age=[1-9][0-9]*|Expires=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT)$")]
    private static partial Regex CookieAttribute();

    private RawReply _set = null!;

    [OneTimeSetUp]
    public void SetCookies() => _set = Get("/cookies/set");

    private string Sid => _set.All("Set-Cookie").Single(c => c.StartsWith("sid=", StringComparison.Ordinal)).Split(';')[0]["sid=".Length..];

    [Test]
    public void Setter_sends_two_separate_Set_Cookie_lines()
    {
        var lines = _set.Head.Split("\r\n").Where(l => l.StartsWith("Set-Cookie:", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(_set.Status, Is.EqualTo(200));
            Assert.That(_set.BodyText, Does.StartWith("cookies set"));
            Assert.That(lines, Has.Count.EqualTo(2));
            Assert.That(lines.Select(l => l.Split(':', 2)[1].Trim().Split('=')[0]), Is.EquivalentTo(new[] { "sid", "theme" }));
        });
    }

    [Test]
    public void Every_Set_Cookie_follows_the_RFC_6265_grammar()
    {
        foreach (var value in _set.All("Set-Cookie"))
        {
            var parts = value.Split("; ");
            Assert.That(parts[0], Does.Match(CookiePair()), value);
            foreach (var attribute in parts.Skip(1)) Assert.That(attribute, Does.Match(CookieAttribute()), value);
        }
    }

    [Test]
    public void Attributes_are_the_documented_ones()
    {
        var sid = _set.All("Set-Cookie").Single(c => c.StartsWith("sid=", StringComparison.Ordinal));
        var theme = _set.All("Set-Cookie").Single(c => c.StartsWith("theme=", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(sid, Does.EndWith("; Path=/; HttpOnly; SameSite=Lax"));
            Assert.That(theme, Does.StartWith("theme=light; Path=/; Max-Age=3600; Expires="));
            var expires = DateTimeOffset.ParseExact(theme.Split("Expires=")[1].Split(';')[0], "r", CultureInfo.InvariantCulture);
            var date = DateTimeOffset.ParseExact(_set.Field("Date")!, "r", CultureInfo.InvariantCulture);
            Assert.That(expires - date, Is.EqualTo(TimeSpan.FromHours(1)).Within(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public void Checker_recognises_the_issued_sid_among_other_cookies()
    {
        var reply = Get("/cookies/check", $"Cookie: theme=light; sid={Sid}; other=1");
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.BodyText, Does.Contain("recognised sid"));
    }

    [Test]
    public void Checker_refuses_a_request_without_cookies()
    {
        var reply = Get("/cookies/check");
        Assert.That(reply.Status, Is.EqualTo(401));
        Assert.That(reply.BodyText, Does.Contain("cookie not recognised"));
    }

    [Test]
    public void Checker_refuses_a_tampered_sid_at_every_position()
    {
        var sid = Sid;
        for (var i = 0; i < sid.Length; i++)
        {
            var tampered = sid[..i] + (sid[i] == 'A' ? 'B' : 'A') + sid[(i + 1)..];
            Assert.That(Get("/cookies/check", $"Cookie: sid={tampered}").Status, Is.EqualTo(401), $"edit at {i}: {tampered}");
        }
    }

    [Test]
    public void Checker_refuses_a_sid_it_did_not_sign() =>
        Assert.That(Get("/cookies/check", "Cookie: sid=AAAAAAAAAAAAAAAAAAAAAA.AAAA").Status, Is.EqualTo(401));

    [Test]
    public void Echo_lists_each_received_cookie()
    {
        var reply = Get("/cookies/echo", "Cookie: a=1; b=x%20y; c=");
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.BodyText, Is.EqualTo("a=1\nb=x%20y\nc=\n"));
    }
}
