namespace Conformance.Harness.Model;

/// <summary>An RFC section, e.g. RFC 9112 §2.3, with a link to its text.</summary>
public sealed record RfcReference(int Rfc, string Section)
{
    public override string ToString() => $"RFC {Rfc} §{Section}";

    public Uri Link => new($"https://www.rfc-editor.org/rfc/rfc{Rfc}#section-{Section}");

    /// <summary>Parses "RFC 9112 §2.3", "RFC9112 2.3" or "9112#2.3".</summary>
    public static bool TryParse(string text, out RfcReference? reference)
    {
        reference = null;
        var t = text.Trim();
        if (t.StartsWith("RFC", StringComparison.Ordinal)) t = t[3..].TrimStart();
        var split = t.IndexOfAny([' ', '#', '§']);
        if (split <= 0) return false;
        if (!int.TryParse(t[..split], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rfc)) return false;
        var section = t[split..].TrimStart(' ', '#', '§');
        if (section.Length == 0 || !section.All(c => char.IsAsciiDigit(c) || c == '.')) return false;
        if (section.StartsWith('.') || section.EndsWith('.')) return false;
        reference = new RfcReference(rfc, section);
        return true;
    }
}
