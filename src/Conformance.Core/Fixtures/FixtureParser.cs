using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// Reads the case format documented in fixtures/README.md. It never stops at the first problem: every
/// error is collected with its file, line and field, so one lint run shows all of them.
/// </summary>
public sealed partial class FixtureParser(ICheckCatalog checks, RequirementCatalog requirements)
{
    private const string Fence = "```";

    private static readonly HashSet<string> MetaKeys = new(StringComparer.Ordinal) { "area", "requirement", "level", "does", "needs", "liveness" };

    /// <summary>
    /// Fields a file may give once, above its first case, for every case in it: a case then holds only what
    /// makes it itself (its id, what it does, its bytes and expectations). A case's own field wins.
    /// </summary>
    private static readonly HashSet<string> DefaultKeys = new(StringComparer.Ordinal) { "area", "requirement", "needs", "liveness" };

    /// <summary>The longest family a "{lines:FROM..TO}" line may generate.</summary>
    public const int MaxFamilyLines = 100_000;

    /// <summary>The longest "within" bound: it exists to be short, below the general read timeout.</summary>
    public const int MaxWithinMs = 2000;

    [GeneratedRegex("^(?<outcomes>.*?)\\s+within\\s+(?<bound>\\S+)$")]
    private static partial Regex WithinSuffix();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^\{lines:(?<from>[0-9]+)\.\.(?<to>[0-9]+)\}")]
    private static partial Regex FamilyPrefix();

    /// <summary>Parses one file's text. <paramref name="file"/> is the name used in cases and errors.</summary>
    public (IReadOnlyList<ConformanceCase> Cases, IReadOnlyList<FixtureError> Errors) Parse(string text, string file)
    {
        var state = new FileState(file, checks, requirements);
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            var line = text[..text.IndexOf('\r', StringComparison.Ordinal)].Count(c => c == '\n') + 1;
            state.Error(line, "file", "the file holds a raw CR; fixture files use LF line ends, and a CR byte is written \\r");
        }
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        state.Run(lines);
        return (state.Cases, state.Errors);
    }

    private sealed class FileState(string file, ICheckCatalog checks, RequirementCatalog requirements)
    {
        public List<ConformanceCase> Cases { get; } = [];
        public List<FixtureError> Errors { get; } = [];

        private CaseBuilder? current;

        /// <summary>The file's header block: fields given above the first case, for every case.</summary>
        private readonly Dictionary<string, (int Line, string Value)> defaults = new(StringComparer.Ordinal);

        /// <summary>Set while a "{lines:..}" family line is expanded: the value of {i}.</summary>
        private int? familyCounter;

        public void Error(int line, string field, string message) => Errors.Add(new FixtureError(file, line, field, message));

        public void Run(string[] lines)
        {
            var i = 0;
            while (i < lines.Length)
            {
                var lineNo = i + 1;
                var line = lines[i];
                if (line.Length == 0 || line.StartsWith('#')) { i++; continue; }

                if (char.IsWhiteSpace(line[0]))
                {
                    ContinueLine(lineNo, line);
                    i++;
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    Error(lineNo, "syntax", $"expected \"key: value\", got \"{Shorten(line)}\"");
                    i++;
                    continue;
                }
                var key = line[..colon];
                var value = line[(colon + 1)..].Trim();

                switch (key)
                {
                    case "case":
                        FinishCase();
                        current = new CaseBuilder(lineNo, value);
                        if (!SlugPattern().IsMatch(value)) Error(lineNo, "case", $"the id must be a lowercase slug (letters, digits, single dashes), got \"{value}\"");
                        i++;
                        break;
                    case "send":
                        i = ReadSend(lines, i, value);
                        break;
                    case "pause":
                        RequireCase(lineNo, key);
                        if (current is not null)
                        {
                            if (TryParseDuration(value, out var duration)) current.Steps.Add(new PauseStep(lineNo, duration));
                            else Error(lineNo, "pause", $"expected a duration like \"50ms\" (at most 5000ms), got \"{value}\"");
                            current.OpenExpect = null;
                        }
                        i++;
                        break;
                    case "expect":
                        RequireCase(lineNo, key);
                        if (current is not null)
                        {
                            TimeSpan? within = null;
                            if (WithinSuffix().Match(value) is { Success: true } w)
                            {
                                value = w.Groups["outcomes"].Value;
                                if (TryParseDuration(w.Groups["bound"].Value, out var bound) && bound > TimeSpan.Zero && bound.TotalMilliseconds <= MaxWithinMs) within = bound;
                                else Error(lineNo, "expect", $"\"within\" takes a duration from 1ms to {MaxWithinMs}ms, like \"within 300ms\", got \"{w.Groups["bound"].Value}\"");
                            }
                            var outcomes = ParseOutcomes(lineNo, value);
                            var step = new ExpectBuilder(lineNo, outcomes, within);
                            current.Expects.Add(step);
                            current.Steps.Add(step.Placeholder);
                            current.OpenExpect = step;
                        }
                        i++;
                        break;
                    case "rfc":
                        Error(lineNo, "rfc", "\"rfc:\" is no longer a case field: the RFC, section, level and quote come from the requirement the case cites (\"requirement: ID\", ids in fixtures/requirements/)");
                        i++;
                        break;
                    default:
                        if (current is null && DefaultKeys.Contains(key))
                        {
                            if (!defaults.TryAdd(key, (lineNo, value))) Error(lineNo, key, $"the file default \"{key}\" is given twice (first on line {defaults[key].Line})");
                            else if (value.Length == 0) Error(lineNo, key, $"the file default \"{key}\" is empty");
                        }
                        else if (MetaKeys.Contains(key))
                        {
                            RequireCase(lineNo, key);
                            if (current is not null)
                            {
                                if (current.Steps.Count > 0) Error(lineNo, key, $"\"{key}\" must come before the first send/expect step of the case");
                                if (!current.Meta.TryAdd(key, (lineNo, value))) Error(lineNo, key, $"\"{key}\" is given twice (first on line {current.Meta[key].Line})");
                                current.LastMetaKey = key;
                                current.OpenExpect = null;
                            }
                        }
                        else
                        {
                            Error(lineNo, key, $"unknown field \"{key}\"; known: case, {string.Join(", ", MetaKeys)}, send, pause, expect (file defaults above the first case: {string.Join(", ", DefaultKeys)})");
                        }
                        i++;
                        break;
                }
            }
            FinishCase();
        }

        private void RequireCase(int lineNo, string key)
        {
            if (current is null) Error(lineNo, key, DefaultKeys.Contains(key) || key is "case" ? $"\"{key}\" appears before any \"case:\" line" : $"\"{key}\" appears before any \"case:\" line (a file default may be only {string.Join(", ", DefaultKeys)})");
        }

        private void ContinueLine(int lineNo, string line)
        {
            if (current is null) { Error(lineNo, "syntax", "an indented line appears before any \"case:\" line"); return; }
            var content = line.Trim();
            if (current.OpenExpect is { } expect)
            {
                var assertion = ParseAssertion(lineNo, content, current);
                if (assertion is not null) expect.Assertions.Add(assertion);
                return;
            }
            if (current.LastMetaKey is { } key && current.Steps.Count == 0)
            {
                var (first, v) = current.Meta[key];
                current.Meta[key] = (first, v + " " + content);
                return;
            }
            Error(lineNo, "syntax", "an indented line must continue a field (requirement, does) or hold an assertion under \"expect:\"");
        }

        private int ReadSend(string[] lines, int i, string value)
        {
            var lineNo = i + 1;
            RequireCase(lineNo, "send");
            if (value.Length > 0) Error(lineNo, "send", $"\"send:\" takes no value; the bytes follow in a ``` block (got \"{value}\")");
            if (i + 1 >= lines.Length || lines[i + 1] != Fence)
            {
                Error(lineNo, "send", "\"send:\" must be followed by a line holding only ``` that opens the request block");
                return i + 1;
            }
            var start = i + 2;
            var end = start;
            while (end < lines.Length && lines[end] != Fence) end++;
            if (end >= lines.Length)
            {
                Error(i + 2, "send", "the ``` block opened here is never closed");
                return lines.Length;
            }
            var segments = new List<ByteSegment>();
            var literal = new List<byte>();
            for (var l = start; l < end; l++)
            {
                if (FamilyPrefix().Match(lines[l]) is { Success: true } family) DecodeFamily(l + 1, lines[l], family, segments, literal);
                else DecodeRawLine(l + 1, lines[l], segments, literal);
            }
            if (literal.Count > 0) segments.Add(new LiteralBytes([.. literal]));
            if (segments.Count == 0) Error(lineNo, "send", "the request block is empty");
            if (current is not null)
            {
                current.Steps.Add(new SendStep(lineNo, segments));
                current.OpenExpect = null;
            }
            return end + 1;
        }

        /// <summary>
        /// "{lines:FROM..TO}TEMPLATE": the template line once for each i from FROM to TO, each with its own
        /// terminator, {i} written as the decimal number. Ninety custom fields are one line, not ninety that a
        /// reader must compare to see they differ only by their number.
        /// </summary>
        private void DecodeFamily(int lineNo, string line, Match family, List<ByteSegment> segments, List<byte> literal)
        {
            var template = line[family.Length..];
            if (!int.TryParse(family.Groups["from"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(family.Groups["to"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || to < from || to - from + 1 > MaxFamilyLines)
            {
                Error(lineNo, "send", $"{{lines:{family.Groups["from"].Value}..{family.Groups["to"].Value}}}: expected FROM..TO with FROM <= TO and at most {MaxFamilyLines} lines");
                return;
            }
            if (!template.Contains("{i}", StringComparison.Ordinal))
            {
                Error(lineNo, "send", "a {lines:FROM..TO} line must use the counter {i}; a line repeated unchanged is {repeat:N:text\\r\\n}");
                return;
            }
            for (var n = from; n <= to; n++)
            {
                var before = Errors.Count;
                familyCounter = n;
                DecodeRawLine(lineNo, template, segments, literal);
                familyCounter = null;
                if (Errors.Count > before) return; // the template's error, once, not once per line
            }
        }

        /// <summary>
        /// One line of a request block: escapes decoded, placeholders kept, and its terminator appended:
        /// CRLF, unless the line ends in an explicit \r or \n escape (that is then its terminator) or in a
        /// lone backslash (no terminator at all: the next line, or the end of the block, follows directly).
        /// </summary>
        private void DecodeRawLine(int lineNo, string line, List<ByteSegment> segments, List<byte> literal)
        {
            if (line.Length > 0 && (line[^1] == ' ' || line[^1] == '\t'))
                Error(lineNo, "send", "trailing whitespace in a request block is invisible; write it as \\s (space) or \\t (tab)");
            var terminator = true;
            var endedWithTerminatorEscape = false;
            var j = 0;
            while (j < line.Length)
            {
                var c = line[j];
                endedWithTerminatorEscape = false;
                if (c == '\\')
                {
                    if (j == line.Length - 1) { terminator = false; j++; continue; }
                    var e = line[j + 1];
                    switch (e)
                    {
                        case 'r': literal.Add(0x0D); endedWithTerminatorEscape = true; j += 2; continue;
                        case 'n': literal.Add(0x0A); endedWithTerminatorEscape = true; j += 2; continue;
                        case 't': literal.Add(0x09); j += 2; continue;
                        case '0': literal.Add(0x00); j += 2; continue;
                        case 's': literal.Add(0x20); j += 2; continue;
                        case '\\': literal.Add(0x5C); j += 2; continue;
                        case '{': literal.Add(0x7B); j += 2; continue;
                        case 'x':
                            if (j + 4 <= line.Length && char.IsAsciiHexDigit(line[j + 2]) && char.IsAsciiHexDigit(line[j + 3]))
                            {
                                literal.Add(byte.Parse(line.AsSpan(j + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                                j += 4;
                                continue;
                            }
                            Error(lineNo, "send", $"\\x must be followed by two hex digits (column {j + 1})");
                            j += 2;
                            continue;
                        default:
                            Error(lineNo, "send", $"unknown escape \\{e} (column {j + 1}); known: \\r \\n \\t \\0 \\s \\\\ \\{{ \\xHH, and a final \\ for no line end");
                            j += 2;
                            continue;
                    }
                }
                if (c == '{')
                {
                    var close = line.IndexOf('}', j);
                    if (close < 0) { Error(lineNo, "send", $"placeholder opened at column {j + 1} is never closed; write a literal brace as \\{{"); j++; continue; }
                    var name = line[(j + 1)..close];
                    if (name == "i")
                    {
                        if (familyCounter is { } counter) literal.AddRange(Encoding.ASCII.GetBytes(counter.ToString(CultureInfo.InvariantCulture)));
                        else Error(lineNo, "send", "{i} is the counter of a {lines:FROM..TO} line and means nothing elsewhere; write a literal brace as \\{");
                        j = close + 1;
                        continue;
                    }
                    if (literal.Count > 0) { segments.Add(new LiteralBytes([.. literal])); literal.Clear(); }
                    var segment = ParsePlaceholder(lineNo, name);
                    if (segment is not null) segments.Add(segment);
                    j = close + 1;
                    continue;
                }
                if (c > 0x7E || (c < 0x20 && c != '\t'))
                {
                    Error(lineNo, "send", $"raw byte 0x{(int)c:X2} at column {j + 1}; write bytes outside printable ASCII as \\xHH so they stay exact and visible");
                    j++;
                    continue;
                }
                if (c == '\t') Error(lineNo, "send", $"raw TAB at column {j + 1}; write it as \\t so it is visible");
                literal.Add((byte)c);
                j++;
            }
            if (terminator && !endedWithTerminatorEscape)
            {
                literal.Add(0x0D);
                literal.Add(0x0A);
            }
        }

        private ByteSegment? ParsePlaceholder(int lineNo, string name)
        {
            if (name.StartsWith("repeat:", StringComparison.Ordinal))
            {
                var parts = name.Split(':', 3);
                if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > 16 * 1024 * 1024 || parts[2].Length == 0)
                {
                    Error(lineNo, "send", $"{{{name}}}: expected {{repeat:N:text}} with 1 <= N <= 16777216 and non-empty text");
                    return null;
                }
                // The unit may spell CR, LF and other bytes with the block's escapes, so "{repeat:5000:X-A: v\r\n}"
                // writes 5000 field lines without 5000 lines of fixture.
                var unit = UnescapeRepeatUnit(lineNo, parts[2]);
                return unit is null ? null : new RepeatBytes(count, unit);
            }
            CheckPlaceholder(lineNo, "send", name);
            current?.UsePlaceholder(name);
            return new PlaceholderRef(name);
        }

        private byte[]? UnescapeRepeatUnit(int lineNo, string text)
        {
            var bytes = new List<byte>();
            for (var j = 0; j < text.Length; j++)
            {
                var c = text[j];
                if (c != '\\') { bytes.Add((byte)c); continue; }
                var e = j + 1 < text.Length ? text[j + 1] : '\0';
                switch (e)
                {
                    case 'r': bytes.Add(0x0D); break;
                    case 'n': bytes.Add(0x0A); break;
                    case 't': bytes.Add(0x09); break;
                    case '0': bytes.Add(0x00); break;
                    case 's': bytes.Add(0x20); break;
                    case '\\': bytes.Add(0x5C); break;
                    case 'x' when j + 3 < text.Length && char.IsAsciiHexDigit(text[j + 2]) && char.IsAsciiHexDigit(text[j + 3]):
                        bytes.Add(byte.Parse(text.AsSpan(j + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                        j += 2;
                        break;
                    default:
                        Error(lineNo, "send", $"unknown escape in a repeat unit: \"{text[j..Math.Min(text.Length, j + 2)]}\"; known: \\r \\n \\t \\0 \\s \\\\ \\xHH");
                        return null;
                }
                j++;
            }
            return [.. bytes];
        }

        private void CheckPlaceholder(int lineNo, string field, string name)
        {
            if (Placeholders.Problem(name) is { } problem)
            {
                Error(lineNo, field, $"{problem}; known: {string.Join(", ", Placeholders.Known.Select(k => "{" + k + "}"))}, {{capture.NAME}}, {{repeat:N:text}}, a draw number like {{path.missing.2}}, transforms like {{capture.NAME|earlier}}");
                return;
            }
            if (Placeholders.CaptureName(name) is { } captured && current is not null && !current.Captures.Contains(captured))
            {
                Error(lineNo, field, $"{{{name}}} is used before any earlier step captures \"{captured}\"");
            }
        }

        private OutcomeSet ParseOutcomes(int lineNo, string value)
        {
            var alternatives = new List<OutcomeAlternative>();
            if (value.Length == 0) Error(lineNo, "expect", "expected an outcome set, e.g. \"400\", \"2xx\", \"400 | close\" or \"501 | 400 WARN | 2xx FAIL\"");
            foreach (var raw in value.Split('|'))
            {
                var words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length is 0 or > 2) { Error(lineNo, "expect", $"bad alternative \"{raw.Trim()}\": write an outcome optionally followed by PASS, INFO, WARN or FAIL"); continue; }
                // "4xx,5xx,close WARN[ID]": several outcomes that earn one verdict for one sentence, in this order.
                var patterns = words[0].Split(',').Select(ParsePattern).ToList();
                if (patterns.Any(p => p is null)) { Error(lineNo, "expect", $"unknown outcome \"{words[0]}\"; use a status (400), a class (4xx), any, close or timeout, or several joined by commas (4xx,close)"); continue; }
                var verdict = Verdict.Pass;
                var (verdictWord, citedId) = words.Length == 2 ? SplitCitation(words[1]) : ("", null);
                if (words.Length == 2 && (!Verdicts.TryParse(verdictWord, out verdict) || verdict is Verdict.Skip or Verdict.Error))
                {
                    Error(lineNo, "expect", $"unknown verdict \"{words[1]}\" after {words[0]}; use PASS, INFO, WARN or FAIL, optionally naming the sentence broken: WARN[rfc9112-2.2-respond-400-close-connection]");
                    continue;
                }
                var cited = CitedAlternative(lineNo, words[0], verdict, citedId);
                alternatives.AddRange(patterns.Select(p => new OutcomeAlternative(p!, verdict) { Cited = cited, CitedId = citedId }));
            }
            return new OutcomeSet(alternatives);
        }

        /// <summary>"WARN[rfc9112-2.2-respond-400-close-connection]": the verdict and the id of the sentence it applies.</summary>
        private static (string Verdict, string? Id) SplitCitation(string word)
        {
            var open = word.IndexOf('[', StringComparison.Ordinal);
            return open > 0 && word.EndsWith(']') ? (word[..open], word[(open + 1)..^1]) : (word, null);
        }

        /// <summary>
        /// The sentence an alternative names as the one it breaks. Only a WARN or FAIL breaks one: naming a
        /// sentence for a PASS or INFO would show a quote for an answer that broke nothing.
        /// </summary>
        private Requirement? CitedAlternative(int lineNo, string outcome, Verdict verdict, string? id)
        {
            if (id is null) return null;
            if (verdict is not (Verdict.Warn or Verdict.Fail))
            {
                Error(lineNo, "expect", $"\"{outcome} {verdict.ToLabel()}[{id}]\": only a WARN or FAIL names the sentence it breaks");
                return null;
            }
            return CitedSentence(lineNo, "expect", id);
        }

        private Requirement? CitedSentence(int lineNo, string field, string id)
        {
            if (requirements.Find(id) is { } sentence) return sentence;
            Error(lineNo, field, $"unknown requirement id \"{id}\" in [{id}]; the ids are in fixtures/requirements/*{RequirementCatalog.Extension}");
            return null;
        }

        private static OutcomePattern? ParsePattern(string word)
        {
            if (word == "any") return OutcomePattern.AnyStatus;
            if (word == "close") return new OutcomePattern(ObservedKind.Closed);
            if (word == "timeout") return new OutcomePattern(ObservedKind.Timeout);
            if (word.Length == 3 && word[0] is >= '1' and <= '5')
            {
                if (word[1..] == "xx") return new OutcomePattern(ObservedKind.Status, StatusClass: word[0] - '0');
                if (char.IsAsciiDigit(word[1]) && char.IsAsciiDigit(word[2])) return new OutcomePattern(ObservedKind.Status, Status: int.Parse(word, CultureInfo.InvariantCulture));
            }
            return null;
        }

        private Assertion? ParseAssertion(int lineNo, string content, CaseBuilder builder)
        {
            if (!content.StartsWith("on ", StringComparison.Ordinal)) return ParseUnscopedAssertion(lineNo, content, builder);
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) { Error(lineNo, "expect", $"expected \"on OUTCOMES: ASSERTION\", like \"on 2xx: body: == hello\", got \"{Shorten(content)}\""); return null; }
            var scope = new List<OutcomePattern>();
            foreach (var word in content[3..colon].Split('|', StringSplitOptions.TrimEntries))
            {
                // Assertions judge a response, so only statuses and classes can scope one (never close or timeout).
                if (ParsePattern(word) is { Kind: ObservedKind.Status } pattern) scope.Add(pattern);
                else Error(lineNo, "expect", $"\"on {word}\": an assertion can be scoped only to statuses or classes (400, 4xx, any), separated by |");
            }
            var assertion = ParseUnscopedAssertion(lineNo, content[(colon + 1)..].Trim(), builder);
            return assertion is null || scope.Count == 0 ? assertion : assertion with { On = scope };
        }

        private Assertion? ParseUnscopedAssertion(int lineNo, string content, CaseBuilder builder)
        {
            RequirementLevel? level = null;
            Requirement? cited = null;
            string? citedId = null;
            var bracket = content.LastIndexOf(" [", StringComparison.Ordinal);
            if (content.EndsWith(']') && bracket > 0)
            {
                var word = content[(bracket + 2)..^1];
                if (word is "MUST" or "SHOULD" or "MAY" && RequirementLevels.TryParse(word, out var l)) level = l;
                else if (!RequirementCatalog.IdPattern().IsMatch(word)) Error(lineNo, "level", $"unknown level [{word}] on an assertion; use [MAY], or name the sentence it judges: [rfc9110-15.5.6-generate-allow-405-containing]");
                else
                {
                    citedId = word;
                    cited = CitedSentence(lineNo, "check", word);
                }
                content = content[..bracket].TrimEnd();
            }
            var assertion = ParseAssertionBody(lineNo, content, builder, level);
            return citedId is null || assertion is null ? assertion : assertion with { Cited = cited, CitedId = citedId };
        }

        private Assertion? ParseAssertionBody(int lineNo, string content, CaseBuilder builder, RequirementLevel? level)
        {
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) { Error(lineNo, "expect", $"expected an assertion like \"header Date: present\", got \"{Shorten(content)}\""); return null; }
            var head = content[..colon].Trim();
            var rest = content[(colon + 1)..].Trim();
            foreach (Match m in PlaceholderInText().Matches(rest))
            {
                CheckPlaceholder(lineNo, "expect", m.Groups[1].Value);
                builder.UsePlaceholder(m.Groups[1].Value);
            }

            if (head.StartsWith("header ", StringComparison.Ordinal))
            {
                var name = head[7..].Trim();
                if (!TokenPattern().IsMatch(name)) { Error(lineNo, "header", $"\"{name}\" is not a field name (a token)"); return null; }
                var (op, operand) = SplitOp(rest);
                switch (op)
                {
                    case "present" when operand.Length == 0: return new HeaderAssertion(lineNo, level, name, HeaderOp.Present, "");
                    case "absent" when operand.Length == 0: return new HeaderAssertion(lineNo, level, name, HeaderOp.Absent, "");
                    case "==": return new HeaderAssertion(lineNo, level, name, HeaderOp.Equals, operand);
                    case "contains" when operand.Length > 0: return new HeaderAssertion(lineNo, level, name, HeaderOp.Contains, operand);
                    case "not-contains" when operand.Length > 0: return new HeaderAssertion(lineNo, level, name, HeaderOp.NotContains, operand);
                    case "count" when int.TryParse(operand, NumberStyles.None, CultureInfo.InvariantCulture, out _): return new HeaderAssertion(lineNo, level, name, HeaderOp.Count, operand);
                    default:
                        Error(lineNo, "header", $"unknown header assertion \"{rest}\"; use present, absent, == VALUE, contains TEXT, not-contains TEXT or count N");
                        return null;
                }
            }
            switch (head)
            {
                case "body":
                {
                    var (op, operand) = SplitOp(rest);
                    switch (op)
                    {
                        case "empty" when operand.Length == 0: return new BodyAssertion(lineNo, level, BodyOp.Empty, "");
                        case "not-empty" when operand.Length == 0: return new BodyAssertion(lineNo, level, BodyOp.NotEmpty, "");
                        case "==": return new BodyAssertion(lineNo, level, BodyOp.Equals, operand);
                        case "contains" when operand.Length > 0: return new BodyAssertion(lineNo, level, BodyOp.Contains, operand);
                        case "not-contains" when operand.Length > 0: return new BodyAssertion(lineNo, level, BodyOp.NotContains, operand);
                        default:
                            Error(lineNo, "body", $"unknown body assertion \"{rest}\"; use empty, not-empty, == TEXT, contains TEXT or not-contains TEXT");
                            return null;
                    }
                }
                case "connection":
                    if (rest == "open") return new ConnectionAssertion(lineNo, level, ConnectionState.Open);
                    if (rest == "closed") return new ConnectionAssertion(lineNo, level, ConnectionState.Closed);
                    Error(lineNo, "connection", $"expected \"open\" or \"closed\", got \"{rest}\"");
                    return null;
                case "check":
                {
                    var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length == 0 || !checks.Names.Contains(words[0]))
                    {
                        Error(lineNo, "check", $"unknown check \"{(words.Length > 0 ? words[0] : "")}\"; known: {string.Join(", ", checks.Names.Order(StringComparer.Ordinal))}");
                        return null;
                    }
                    if (checks.ValidateArguments(words[0], words[1..]) is { } problem)
                    {
                        Error(lineNo, "check", $"{words[0]}: {problem}");
                        return null;
                    }
                    return new NamedCheckAssertion(lineNo, level, words[0], words[1..]);
                }
            }
            if (head.StartsWith("capture ", StringComparison.Ordinal))
            {
                var name = head[8..].Trim();
                if (!SlugPattern().IsMatch(name)) { Error(lineNo, "capture", $"capture name must be a lowercase slug, got \"{name}\""); return null; }
                var parts = rest.Split(' ', 2, StringSplitOptions.TrimEntries);
                // "cookie NAME" takes name=value from the Set-Cookie line of that cookie (RFC 6265 §4.1.1), so it
                // can be sent back as a Cookie header (§4.2.1); NAME may be {cookie.name}, the profile's cookie.
                var source = parts.Length == 2 ? parts[0] switch { "header" => CaptureSource.Header, "cookie" => CaptureSource.Cookie, _ => (CaptureSource?)null } : null;
                var keyOk = parts.Length == 2 && (TokenPattern().IsMatch(parts[1]) || (source == CaptureSource.Cookie && parts[1] == "{cookie.name}"));
                if (source is null || !keyOk) { Error(lineNo, "capture", $"expected \"capture {name}: header FIELD-NAME\" or \"capture {name}: cookie COOKIE-NAME\" (or cookie {{cookie.name}}), got \"{rest}\""); return null; }
                if (level is not null) Error(lineNo, "level", "a capture has no level");
                builder.Captures.Add(name);
                return new CaptureAssertion(lineNo, name, parts[1], source.Value);
            }
            Error(lineNo, "expect", $"unknown assertion \"{head}\"; use header NAME, body, connection, capture NAME or check");
            return null;
        }

        private static (string Op, string Operand) SplitOp(string rest)
        {
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? (rest, "") : (rest[..space], rest[(space + 1)..].Trim());
        }

        private void FinishCase()
        {
            if (current is null) return;
            var b = current;
            current = null;
            foreach (var e in b.Expects) b.Steps[b.Steps.FindIndex(s => ReferenceEquals(s, e.Placeholder))] = e.Build();

            // A case's own field, else the file's default; the line is where the value was written.
            (int Line, string Value)? Field(string key) =>
                b.Meta.TryGetValue(key, out var own) ? own : defaults.TryGetValue(key, out var shared) ? shared : null;
            string Required(string key)
            {
                if (Field(key) is { Value.Length: > 0 } v) return v.Value;
                Error(b.Line, key, DefaultKeys.Contains(key)
                    ? $"case \"{b.Id}\" has no \"{key}:\" field (nor does the file give a default above its first case)"
                    : $"case \"{b.Id}\" has no \"{key}:\" field");
                return "";
            }
            var area = Required("area");
            var requirementId = Required("requirement");
            var does = Required("does");

            if (area.Length > 0 && !SlugPattern().IsMatch(area)) Error(Field("area")!.Value.Line, "area", $"the area must be a lowercase slug, got \"{area}\"");
            // "requirement: ID" cites the sentence the case tests; "requirement: ID, ID2" also cites the sentences the
            // verdict depends on beyond it (a 400 that one sentence asks for and another makes the only answer), so
            // that no sentence is copied into another's entry. The first gives the case its section and level.
            Requirement? requirement = null;
            var cited = new List<Requirement>();
            var citedIds = requirementId.Length == 0 ? Array.Empty<string>() : requirementId.Split(',', StringSplitOptions.TrimEntries);
            if (citedIds.Length > 0)
            {
                var at = Field("requirement")!.Value.Line;
                foreach (var id in citedIds)
                {
                    if (requirements.Find(id) is { } found)
                    {
                        if (cited.Contains(found)) Error(at, "requirement", $"\"{id}\" is cited twice");
                        else cited.Add(found);
                        continue;
                    }
                    Error(at, "requirement", id.Contains(' ', StringComparison.Ordinal)
                        ? $"\"requirement:\" takes the id of a sentence in fixtures/requirements/ (like \"rfc9112-7.1-decode-chunked\"), not the sentence itself: got \"{Shorten(id)}\""
                        : id.Length == 0
                            ? "\"requirement:\" takes ids separated by \", \", and one of them is empty"
                            : $"unknown requirement id \"{id}\"; the ids are in fixtures/requirements/*{RequirementCatalog.Extension}");
                }
                if (cited.Count == citedIds.Length) requirement = cited[0];
            }
            var level = requirement?.Level ?? RequirementLevel.Must;
            if (b.Meta.TryGetValue("level", out var levelField))
            {
                // A case may judge a sentence below the sentence's own level (a MAY case on the optional part of a
                // MUST sentence), never above it: no verdict rises above the level of the sentence broken.
                if (levelField.Value is not ("MUST" or "SHOULD" or "MAY") || !RequirementLevels.TryParse(levelField.Value, out var own))
                    Error(levelField.Line, "level", $"the level must be MUST, SHOULD or MAY, got \"{levelField.Value}\"");
                else if (requirement is not null && own < requirement.Level)
                    Error(levelField.Line, "level", $"the case is judged at {levelField.Value}, above the {requirement.Level.ToKeyword()} of the sentence it cites (\"{requirement.Id}\"); a verdict never rises above the level of the sentence broken");
                else if (requirement is not null && own == requirement.Level)
                    Error(levelField.Line, "level", $"\"level: {levelField.Value}\" repeats the level of \"{requirement.Id}\"; leave it out (a case gives a level only to judge below its sentence's)");
                else level = own;
            }

            if (Field("needs") is { } needs)
            {
                foreach (var role in needs.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (Roles.All.Contains(role)) b.NeededRoles.Add(role);
                    else Error(needs.Line, "needs", $"unknown role \"{role}\"; known: {string.Join(", ", Roles.All)}");
                }
            }
            var liveness = false;
            if (defaults.TryGetValue("liveness", out var liveDefault))
            {
                if (liveDefault.Value == "yes") liveness = true;
                else Error(liveDefault.Line, "liveness", $"the file default \"liveness:\" takes only \"yes\" (omit it otherwise), got \"{liveDefault.Value}\"");
            }
            if (b.Meta.TryGetValue("liveness", out var live))
            {
                // "yes" turns the check on; "no" exists only to turn off a file default of "yes", so it is never
                // written where it changes nothing.
                if (live.Value == "yes" && !liveness) liveness = true;
                else if (live.Value == "no" && liveness) liveness = false;
                else if (live.Value is "yes" or "no") Error(live.Line, "liveness", $"\"liveness: {live.Value}\" changes nothing here (the file default is {(liveness ? "yes" : "no")}); leave it out");
                else Error(live.Line, "liveness", $"\"liveness:\" takes \"yes\" (or \"no\" against a file default of yes), got \"{live.Value}\"");
            }
            if (!b.Steps.OfType<SendStep>().Any()) Error(b.Line, "send", $"case \"{b.Id}\" sends nothing");
            if (!b.Steps.OfType<ExpectStep>().Any()) Error(b.Line, "expect", $"case \"{b.Id}\" expects nothing");
            if (b.Steps.Count > 0 && b.Steps[0] is not SendStep) Error(b.Steps[0].Line, "send", "the first step of a case must be a send");

            Cases.Add(new ConformanceCase
            {
                Id = b.Id,
                Area = area,
                RequirementId = citedIds.FirstOrDefault() ?? "",
                AlsoCitedIds = [.. citedIds.Skip(1)],
                Rfc = requirement?.Rfc ?? new RfcReference(0, "0"),
                Level = level,
                Requirement = requirement is null ? "" : ConformanceCase.Quote(cited),
                Description = does,
                SourceFile = file,
                Line = b.Line,
                Steps = b.Steps,
                NeededRoles = b.NeededRoles,
                Liveness = liveness,
            });
        }

        private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;
    }

    [GeneratedRegex("\\{([^}]*)\\}")]
    private static partial Regex PlaceholderInText();

    private static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = default;
        if (!value.EndsWith("ms", StringComparison.Ordinal)) return false;
        if (!int.TryParse(value[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 5000) return false;
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    private sealed class CaseBuilder(int line, string id)
    {
        public int Line { get; } = line;
        public string Id { get; } = id;
        public Dictionary<string, (int Line, string Value)> Meta { get; } = new(StringComparer.Ordinal);
        public List<CaseStep> Steps { get; } = [];
        public List<ExpectBuilder> Expects { get; } = [];
        public HashSet<string> NeededRoles { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Captures { get; } = new(StringComparer.Ordinal);
        public string? LastMetaKey { get; set; }
        public ExpectBuilder? OpenExpect { get; set; }

        public void UsePlaceholder(string name)
        {
            if (Placeholders.RoleFor(name) is { } role) NeededRoles.Add(role);
        }
    }

    private sealed class ExpectBuilder(int line, OutcomeSet outcomes, TimeSpan? within)
    {
        /// <summary>Stands in the step list until the assertions under it are all read.</summary>
        public ExpectStep Placeholder { get; } = new(line, outcomes, []) { Within = within };
        public List<Assertion> Assertions { get; } = [];

        public ExpectStep Build() => Placeholder with { Assertions = Assertions };
    }
}
