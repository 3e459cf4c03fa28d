namespace Conformance.Harness.Wire;

// PLACEHOLDER until the wire layer lands its own ByteText (same signature).
public static class ByteText
{
    public static string Escape(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();
}
