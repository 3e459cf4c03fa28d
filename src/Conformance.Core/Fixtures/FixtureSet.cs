using System.Security.Cryptography;
using System.Text;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// Every case under fixtures/cases, loaded and linted together: per-file errors plus ids duplicated
/// across files. <see cref="Sha256"/> identifies the exact fixture set a report was made from.
/// </summary>
public sealed class FixtureSet
{
    public const string Extension = ".cases";

    public required IReadOnlyList<ConformanceCase> Cases { get; init; }

    public required IReadOnlyList<FixtureError> Errors { get; init; }

    /// <summary>SHA-256 over every requirement, RFC text and case file's relative path and bytes, in that order and ordinal path order.</summary>
    public required string Sha256 { get; init; }

    public required int FileCount { get; init; }

    /// <summary>The requirement catalog the cases cite.</summary>
    public required RequirementCatalog Requirements { get; init; }

    /// <summary>
    /// Loads and lints every *.cases file under <paramref name="casesDirectory"/> and the requirement catalog
    /// they cite (by default the requirements/ folder beside it); paths in cases are relative to <paramref name="repoRoot"/>.
    /// <paramref name="codeCitations"/> are the ids code cites (grammar rules, engine findings, browser cases): an
    /// entry only they cite is cited, and one the catalog lacks is an error at the citing line.
    /// </summary>
    public static FixtureSet Load(string casesDirectory, string repoRoot, ICheckCatalog checks, string? requirementsDirectory = null,
        IEnumerable<RequirementCitation>? codeCitations = null)
    {
        if (!Directory.Exists(casesDirectory))
            throw new FixtureException([new FixtureError(casesDirectory, 0, "fixtures", "the fixture folder does not exist")]);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Hash(string relative, byte[] bytes)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(bytes);
        }
        var requirements = RequirementCatalog.Load(requirementsDirectory ?? RepoPaths.RequirementsBeside(casesDirectory), repoRoot, Hash);
        var parser = new FixtureParser(checks, requirements);
        var files = Directory.EnumerateFiles(casesDirectory, "*" + Extension, SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(repoRoot, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();

        var cases = new List<ConformanceCase>();
        var errors = new List<FixtureError>(requirements.Errors);
        foreach (var (full, relative) in files)
        {
            var bytes = File.ReadAllBytes(full);
            Hash(relative, bytes);
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                errors.Add(new FixtureError(relative, LineOfByte(bytes, e.Index), "file", "the file is not valid UTF-8; write bytes outside printable ASCII as \\xHH"));
                continue;
            }
            var (fileCases, fileErrors) = parser.Parse(text, relative);
            cases.AddRange(fileCases);
            errors.AddRange(fileErrors);
        }

        foreach (var group in cases.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var dup in group.Skip(1))
                errors.Add(new FixtureError(dup.SourceFile, dup.Line, "case", $"duplicate id \"{dup.Id}\" (first defined at {first.Location})"));
        }

        errors.AddRange(VerdictLevels.Lint(cases, requirements));
        var fromCode = codeCitations?.ToList() ?? [];
        foreach (var citation in fromCode.Where(c => requirements.Find(c.Id) is null))
            errors.Add(new FixtureError(citation.File, citation.Line, "requirement", $"{citation.Citer} cites unknown requirement id \"{citation.Id}\"; the ids are in fixtures/requirements/*{RequirementCatalog.Extension}"));
        errors.AddRange(requirements.Uncited(cases.SelectMany(c => c.CitedIds).Concat(fromCode.Select(c => c.Id)).Concat(VerdictLevels.Named(cases)).Concat(requirements.CitedByEntries)));

        return new FixtureSet
        {
            Requirements = requirements,
            Cases = cases,
            Errors = errors,
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            FileCount = files.Count,
        };
    }

    /// <summary>Throws a <see cref="FixtureException"/> listing every error when the set has any.</summary>
    public FixtureSet ThrowIfInvalid() => Errors.Count == 0 ? this : throw new FixtureException(Errors);

    private static int LineOfByte(byte[] bytes, int index) => bytes.AsSpan(0, Math.Clamp(index, 0, bytes.Length)).Count((byte)'\n') + 1;
}
