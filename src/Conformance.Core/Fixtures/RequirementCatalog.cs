using System.Text;
using System.Text.RegularExpressions;
using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// One RFC sentence, stored once in fixtures/requirements/ and cited by id from every case that tests it,
/// so 26 cases quoting one sentence cannot drift apart.
/// </summary>
public sealed record Requirement(string Id, RfcReference Rfc, RequirementLevel Level, string Quote, string SourceFile, int Line)
{
    public string Location => $"{SourceFile}:{Line}";

    /// <summary>
    /// "basis:": the id of the entry whose keyword gives this one its level, when this quote has none (an ABNF
    /// rule, a definition); see RequirementCatalog.Basis.cs.
    /// </summary>
    public string? BasisId { get; init; }

    /// <summary>The entry named by <see cref="BasisId"/>, resolved when the catalog loads.</summary>
    public Requirement? Basis { get; init; }

    /// <summary>The sentence as every report shows it, whoever cites it (a case, a grammar rule, the engine, a browser probe): <see cref="RequirementCatalog.Shown"/>.</summary>
    public string Shown => RequirementCatalog.Shown(this);
}

/// <summary>
/// The requirement catalog: every *.requirements file under fixtures/requirements/, read in the fixture
/// format's own "key: value" style (documented in fixtures/README.md). Errors are collected, never thrown,
/// so one lint run shows all of them with file, line and field.
/// </summary>
public sealed partial class RequirementCatalog
{
    public const string Extension = ".requirements";

    private static readonly string[] Keys = ["id", "rfc", "level", "basis", "quote"];

    private readonly Dictionary<string, Requirement> byId;

    private RequirementCatalog(Dictionary<string, Requirement> byId, IReadOnlyList<FixtureError> errors)
    {
        this.byId = byId;
        Errors = errors;
    }

    public IReadOnlyCollection<Requirement> Entries => byId.Values;

    public IReadOnlyList<FixtureError> Errors { get; }

    /// <summary>How many quotes were compared with stored RFC text (the others' sections are not stored).</summary>
    public int QuotesCheckedAgainstRfcText { get; private init; }

    public Requirement? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>A catalog built in code, for tests and tools; its entries are taken as they are.</summary>
    public static RequirementCatalog Of(params Requirement[] entries) =>
        new(entries.ToDictionary(e => e.Id, StringComparer.Ordinal), []);

    /// <summary>An id reads as what it cites: rfcNNNN-SECTION-words, e.g. "rfc9112-7.1-decode-chunked".</summary>
    [GeneratedRegex(@"^rfc(?<rfc>[0-9]+)-(?<section>[0-9]+(\.[0-9]+)*)-[a-z0-9]+(-[a-z0-9]+)*$")]
    public static partial Regex IdPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Loads every *.requirements file under <paramref name="directory"/> (paths in errors relative to
    /// <paramref name="repoRoot"/>), checks each quote against the RFC text stored under rfc-text/ where the
    /// cited section is there, and feeds every file's path and bytes to <paramref name="hash"/>.
    /// </summary>
    public static RequirementCatalog Load(string directory, string repoRoot, Action<string, byte[]>? hash = null)
    {
        var errors = new List<FixtureError>();
        var entries = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            errors.Add(new FixtureError(Relative(repoRoot, directory), 0, "requirements", "the requirement catalog folder does not exist"));
            return new RequirementCatalog(entries, errors);
        }
        var files = Directory.EnumerateFiles(directory, "*" + Extension, SearchOption.TopDirectoryOnly)
            .Select(f => (Full: f, Relative: Relative(repoRoot, f)))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        var all = new List<Requirement>();
        foreach (var (full, relative) in files)
        {
            var bytes = File.ReadAllBytes(full);
            hash?.Invoke(relative, bytes);
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                errors.Add(new FixtureError(relative, 1, "file", "the file is not valid UTF-8"));
                continue;
            }
            all.AddRange(Parse(text, relative, errors));
        }

        ResolveBases(all, errors);
        foreach (var entry in all)
        {
            if (entries.TryGetValue(entry.Id, out var first)) errors.Add(new FixtureError(entry.SourceFile, entry.Line, "id", $"duplicate requirement id \"{entry.Id}\" (first defined at {first.Location})"));
            else entries.Add(entry.Id, entry);
        }
        // One sentence, one entry: a second entry for the same words is the drift the catalog exists to prevent.
        foreach (var group in all.GroupBy(e => Normalise(e.Quote), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var dup in group.Skip(1))
                errors.Add(new FixtureError(dup.SourceFile, dup.Line, "quote", $"this quote is already stored as \"{first.Id}\" ({first.Location}); cite that id instead"));
        }

        var rfcText = RfcText.Load(Path.Combine(directory, RfcText.Folder), repoRoot, errors, hash);
        var checkedCount = 0;
        foreach (var entry in all)
        {
            var section = rfcText.Section(entry.Rfc);
            if (section is null) continue;
            checkedCount++;
            var sectionText = Unhyphenate(Normalise(section.Text));
            // A quote may join sentences of its section that the RFC keeps apart (a rule and the ABNF it
            // cites, set apart by "; " or ". " in the quote); each piece must still be the RFC's own words, in
            // that section.
            foreach (var sentence in Sentences(Unhyphenate(Normalise(entry.Quote))))
            {
                if (sectionText.Contains(sentence, StringComparison.Ordinal)) continue;
                errors.Add(new FixtureError(entry.SourceFile, entry.Line, "quote", $"the quote is not in the text of {entry.Rfc} stored at {section.Location}: {Mismatch(sentence, sectionText)}"));
                break;
            }
        }
        return new RequirementCatalog(entries, errors) { QuotesCheckedAgainstRfcText = checkedCount };
    }

    /// <summary>Every entry no case cites, as an error at the entry: an uncited sentence is dead text that nothing tests.</summary>
    public IEnumerable<FixtureError> Uncited(IEnumerable<string> citedIds)
    {
        var cited = citedIds.ToHashSet(StringComparer.Ordinal);
        return byId.Values.Where(e => !cited.Contains(e.Id))
            .OrderBy(e => e.SourceFile, StringComparer.Ordinal).ThenBy(e => e.Line)
            .Select(e => new FixtureError(e.SourceFile, e.Line, "id", $"requirement \"{e.Id}\" is cited by no case; remove it or write the case that tests it"));
    }

    /// <summary>
    /// The quote and the RFC text compared as words: the RFC's line breaks and indentation are not part of the
    /// sentence, and a catalog quote continues on indented lines.
    /// </summary>
    public static string Normalise(string text) => Whitespace().Replace(text, " ").Trim();

    // The plain text breaks a hyphenated word at its hyphen ("cookie-attribute-" / "list"), so a line break after a
    // hyphen may or may not be a space; both sides are compared with "- " read as "-".
    private static string Unhyphenate(string text) => text.Replace("- ", "-", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<=[.;])\s+")]
    private static partial Regex SentenceEnd();

    private static IEnumerable<string> Sentences(string quote) =>
        SentenceEnd().Split(quote).Select(s => s.TrimEnd(';', '.')).Where(s => s.Length > 0);

    /// <summary>Where the quote stops matching the text, so the lint's message points at the wrong word.</summary>
    private static string Mismatch(string quote, string text)
    {
        var best = 0;
        for (var n = 1; n <= quote.Length; n++)
        {
            if (text.Contains(quote[..n], StringComparison.Ordinal)) best = n;
            else break;
        }
        var from = Math.Max(0, best - 30);
        return best == 0
            ? $"not even its first word \"{quote.Split(' ')[0]}\" is there"
            : $"it matches up to \"…{quote[from..best]}\", then the quote has \"{quote[best..Math.Min(quote.Length, best + 30)]}…\"";
    }

    private static List<Requirement> Parse(string text, string file, List<FixtureError> errors)
    {
        var result = new List<Requirement>();
        if (text.Contains('\r', StringComparison.Ordinal)) errors.Add(new FixtureError(file, 1, "file", "the file holds a raw CR; requirement files use LF line ends"));
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Dictionary<string, (int Line, string Value)>? fields = null;
        var entryLine = 0;
        string? lastKey = null;

        void Finish()
        {
            if (fields is null) return;
            var entry = Build(file, entryLine, fields, errors);
            if (entry is not null) result.Add(entry);
            fields = null;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) { lastKey = null; continue; }
            if (char.IsWhiteSpace(line[0]))
            {
                if (fields is not null && lastKey == "quote") fields["quote"] = (fields["quote"].Line, fields["quote"].Value + " " + line.Trim());
                else errors.Add(new FixtureError(file, lineNo, "syntax", "an indented line must continue a \"quote:\""));
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) { errors.Add(new FixtureError(file, lineNo, "syntax", $"expected \"key: value\", got \"{(line.Length > 60 ? line[..60] + "…" : line)}\"")); continue; }
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (key == "id") { Finish(); fields = new(StringComparer.Ordinal); entryLine = lineNo; }
            if (!Keys.Contains(key)) { errors.Add(new FixtureError(file, lineNo, key, $"unknown field \"{key}\"; a requirement has: {string.Join(", ", Keys)}")); lastKey = null; continue; }
            if (fields is null) { errors.Add(new FixtureError(file, lineNo, key, $"\"{key}\" appears before any \"id:\" line")); continue; }
            if (!fields.TryAdd(key, (lineNo, value))) errors.Add(new FixtureError(file, lineNo, key, $"\"{key}\" is given twice (first on line {fields[key].Line})"));
            lastKey = key;
        }
        Finish();
        return result;
    }

    private static Requirement? Build(string file, int line, Dictionary<string, (int Line, string Value)> fields, List<FixtureError> errors)
    {
        var ok = true;
        string Required(string key)
        {
            if (fields.TryGetValue(key, out var v) && v.Value.Length > 0) return v.Value;
            errors.Add(new FixtureError(file, line, key, $"requirement \"{fields["id"].Value}\" has no \"{key}:\" field"));
            ok = false;
            return "";
        }
        var id = Required("id");
        var rfcText = Required("rfc");
        var levelText = Required("level");
        var quote = Required("quote");
        RfcReference? rfc = null;
        if (rfcText.Length > 0 && !RfcReference.TryParse(rfcText, out rfc))
        {
            errors.Add(new FixtureError(file, fields["rfc"].Line, "rfc", $"expected \"RFC 9112 §2.3\", got \"{rfcText}\""));
            ok = false;
        }
        var level = RequirementLevel.Must;
        if (levelText.Length > 0 && (levelText is not ("MUST" or "SHOULD" or "MAY") || !RequirementLevels.TryParse(levelText, out level)))
        {
            errors.Add(new FixtureError(file, fields["level"].Line, "level", $"the level must be MUST, SHOULD or MAY, got \"{levelText}\""));
            ok = false;
        }
        if (ok && StrongestKeyword(quote) is { } keyword && keyword != level)
        {
            // The entry's level is the sentence's own: a case judging its optional part says so with its own
            // "level:", so the catalog never understates what the RFC requires.
            errors.Add(new FixtureError(file, fields["level"].Line, "level", $"the quote's strongest keyword is {keyword.ToKeyword()}, so its level is {keyword.ToKeyword()}, not {levelText} (a case that judges it lower gives its own \"level:\")"));
            ok = false;
        }
        if (id.Length > 0)
        {
            // The id names the RFC and section it cites, so a reader of a case knows where the sentence is
            // without opening the catalog; the lint keeps the two from disagreeing.
            var m = IdPattern().Match(id);
            if (!m.Success)
            {
                errors.Add(new FixtureError(file, line, "id", $"the id must read rfcNNNN-SECTION-words (lowercase, e.g. \"rfc9112-7.1-decode-chunked\"), got \"{id}\""));
                ok = false;
            }
            else if (rfc is not null && (m.Groups["rfc"].Value != rfc.Rfc.ToString(System.Globalization.CultureInfo.InvariantCulture) || m.Groups["section"].Value != rfc.Section))
            {
                errors.Add(new FixtureError(file, line, "id", $"the id \"{id}\" names RFC {m.Groups["rfc"].Value} §{m.Groups["section"].Value}, but the entry cites {rfc}"));
                ok = false;
            }
        }
        return ok ? new Requirement(id, rfc!, level, quote, file, line) { BasisId = BasisField(fields) } : null;
    }

    [GeneratedRegex(@"\b(MUST|REQUIRED|SHALL)\b")]
    private static partial Regex MustKeyword();

    [GeneratedRegex(@"\b(SHOULD|RECOMMENDED)\b")]
    private static partial Regex ShouldKeyword();

    // OPTIONAL is left out: the RFCs use it for optional parts of a grammar ("an OPTIONAL trailer section"),
    // which leave a sender no choice about the rest of the rule.
    [GeneratedRegex(@"\bMAY\b")]
    private static partial Regex MayKeyword();

    /// <summary>The strongest RFC 2119 keyword in a quote, or null for a definition or ABNF rule that has none.</summary>
    public static RequirementLevel? StrongestKeyword(string quote) =>
        MustKeyword().IsMatch(quote) ? RequirementLevel.Must
        : ShouldKeyword().IsMatch(quote) ? RequirementLevel.Should
        : MayKeyword().IsMatch(quote) ? RequirementLevel.May
        : null;

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
