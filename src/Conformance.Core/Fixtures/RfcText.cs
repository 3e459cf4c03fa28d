using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// Normative excerpts of the RFCs, stored under fixtures/requirements/rfc-text/ as rfcNNNN.txt in the RFC's
/// own plain-text layout: a section starts at its heading line ("7.1.  Chunked Transfer Coding") and runs to
/// the next heading. The catalog's quotes are checked against the section they cite, where it is stored.
/// </summary>
public sealed partial class RfcText
{
    public const string Folder = "rfc-text";

    public sealed record StoredSection(string Text, string Location);

    private readonly Dictionary<(int Rfc, string Section), StoredSection> sections = [];

    [GeneratedRegex(@"^rfc(?<rfc>[0-9]+)\.txt$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^(?<section>[0-9]+(\.[0-9]+)*)\.\s+\S")]
    private static partial Regex Heading();

    // The plain-text RFCs are paginated: a footer ("Barth   Standards Track   [Page 8]"), a form feed and a
    // running header ("RFC 6265   HTTP State Management Mechanism   April 2011") fall wherever a page ends, even
    // inside a sentence. They are kept in the stored text, as published, and left out of the section's words.
    [GeneratedRegex(@"^\f?(RFC [0-9]+ {2,}.*\S {2,}\S.*[0-9]{4}|.*\S {2,}\[Page [0-9]+\])\s*$")]
    private static partial Regex PageBreakLine();

    // A bullet ("*  " or "o  " before an item of a list) is layout, not a word: a quote may run from one item into
    // the next ("...; else, If the received protocol is HTTP/1.1 ...") as the sentence does.
    [GeneratedRegex(@"^(?<indent>\s*)[*o]  (?=\S)")]
    private static partial Regex Bullet();

    /// <summary>The stored text of a section, or null when that section of that RFC is not in the repository.</summary>
    public StoredSection? Section(RfcReference rfc) => sections.GetValueOrDefault((rfc.Rfc, rfc.Section));

    public static RfcText Load(string directory, string repoRoot, List<FixtureError> errors, Action<string, byte[]>? hash = null)
    {
        var text = new RfcText();
        if (!Directory.Exists(directory)) return text;
        foreach (var full in Directory.EnumerateFiles(directory, "*.txt").Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(repoRoot, full).Replace('\\', '/');
            var name = FileName().Match(Path.GetFileName(full));
            if (!name.Success)
            {
                errors.Add(new FixtureError(relative, 1, "file", "RFC text files are named rfcNNNN.txt, after the RFC they hold"));
                continue;
            }
            var bytes = File.ReadAllBytes(full);
            hash?.Invoke(relative, bytes);
            var rfc = int.Parse(name.Groups["rfc"].Value, CultureInfo.InvariantCulture);
            var lines = Encoding.UTF8.GetString(bytes).Replace("\r", "", StringComparison.Ordinal).Split('\n');
            string? section = null;
            var start = 0;
            var body = new StringBuilder();
            void Close()
            {
                if (section is null) return;
                if (!text.sections.TryAdd((rfc, section), new StoredSection(body.ToString(), $"{relative}:{start}")))
                    errors.Add(new FixtureError(relative, start, "section", $"section {section} is stored twice (first at {text.sections[(rfc, section)].Location})"));
                body.Clear();
            }
            for (var i = 0; i < lines.Length; i++)
            {
                if (Heading().Match(lines[i]) is { Success: true } h)
                {
                    Close();
                    section = h.Groups["section"].Value;
                    start = i + 1;
                    continue;
                }
                if (section is not null && !PageBreakLine().IsMatch(lines[i]) && lines[i] != "\f") body.Append(Bullet().Replace(lines[i], "${indent}")).Append('\n');
            }
            Close();
        }
        return text;
    }
}
