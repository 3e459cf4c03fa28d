using Conformance.Harness.Browser;

namespace Conformance.Harness.Tests.Browser;

/// <summary>What the jar should hold, parsed as RFC 6265 §5.2 parses a Set-Cookie line.</summary>
public sealed class SetCookieLineTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Parses_the_pair_and_attributes_case_insensitively_with_the_last_winning()
    {
        var line = SetCookieLine.Parse(" sid = a.b ; path=/x; HTTPONLY; SameSite=Lax; Path=/y")!;
        Assert.Multiple(() =>
        {
            Assert.That(line.Name, Is.EqualTo("sid"));
            Assert.That(line.Value, Is.EqualTo("a.b"));
            Assert.That(line.Has("HttpOnly"), Is.True);
            Assert.That(line.Attribute("httponly"), Is.EqualTo(""));
            Assert.That(line.Attribute("Path"), Is.EqualTo("/y"));
            Assert.That(line.Attribute("Secure"), Is.Null);
        });
    }

    [Test]
    public void A_line_without_equals_or_name_is_ignored()
    {
        Assert.That(SetCookieLine.Parse("novalue; Path=/"), Is.Null);
        Assert.That(SetCookieLine.Parse("=x"), Is.Null);
    }

    [Test]
    public void Max_age_wins_over_expires_and_no_expiry_is_a_session_cookie()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SetCookieLine.Parse("a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=60")!.Expiry(Now), Is.EqualTo(Now.AddSeconds(60)));
            Assert.That(SetCookieLine.Parse("a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT")!.Expiry(Now), Is.EqualTo(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(SetCookieLine.Parse("a=1; Max-Age=0")!.Expiry(Now), Is.LessThanOrEqualTo(Now));
            Assert.That(SetCookieLine.Parse("a=1; Max-Age=ten")!.Expiry(Now), Is.Null, "an unparsable Max-Age is ignored (§5.2.2)");
            Assert.That(SetCookieLine.Parse("a=1")!.Expiry(Now), Is.Null);
            Assert.That(SetCookieLine.Parse("a=1; Max-Age=999999999")!.Expiry(Now), Is.EqualTo(Now.AddDays(400)), "capped like Chromium");
        });
    }

    [Test]
    public void A_path_without_a_leading_slash_falls_back_to_the_default_path()
    {
        var uri = new Uri("http://h/a/b/set");
        Assert.Multiple(() =>
        {
            Assert.That(SetCookieLine.Parse("a=1; Path=/p")!.StoredPath(uri), Is.EqualTo("/p"));
            Assert.That(SetCookieLine.Parse("a=1; Path=p")!.StoredPath(uri), Is.EqualTo("/a/b"));
            Assert.That(SetCookieLine.Parse("a=1")!.StoredPath(new Uri("http://h/set")), Is.EqualTo("/"));
        });
    }
}
