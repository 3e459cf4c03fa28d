using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Wire;

public class ByteTextTests
{
    [TestCase("a\r\nb", "a\\r\\nb")]
    [TestCase("\t\0", "\\t\\0")]
    [TestCase("\u0001\u007f\u00ff", "\\x01\\x7F\\xFF")]
    [TestCase("back\\slash", "back\\\\slash")]
    [TestCase("plain text: 200 OK", "plain text: 200 OK")]
    public void Escape_makes_every_byte_visible(string input, string expected) =>
        Assert.That(ByteText.Escape(Bytes.Of(input)), Is.EqualTo(expected));

    [Test]
    public void Escape_with_limit_marks_the_cut() =>
        Assert.That(ByteText.Escape(Bytes.Of("abcdef"), 3), Is.EqualTo("abc... (6 bytes)"));
}
