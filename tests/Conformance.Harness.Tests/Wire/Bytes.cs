using System.Text;

namespace Conformance.Harness.Tests.Wire;

/// <summary>Test bytes written as C# strings whose chars are bytes (Latin-1), so \r, \n, \0 and \xHH read plainly.</summary>
internal static class Bytes
{
    public static byte[] Of(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public const string Date = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
}
