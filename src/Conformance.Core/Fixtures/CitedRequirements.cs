using System.Runtime.CompilerServices;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// A catalog id cited from code rather than from a fixture: a response-grammar rule, a finding the engine makes
/// itself, a browser case. The lint counts it as a citation (an entry only code cites is not dead text) and
/// rejects it when the catalog has no such id; <see cref="File"/> and <see cref="Line"/> say where it is cited.
/// </summary>
public sealed record RequirementCitation(string Id, string File, int Line, string Citer)
{
    /// <summary>A citation at the caller's own source line.</summary>
    public static RequirementCitation Here(string id, string citer, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new(id, RepoRelative(file), line, citer);

    public string Location => $"{File}:{Line}";

    /// <summary>
    /// The caller's path from the repository's src/ down: the compiler gives an absolute (or path-mapped) path,
    /// and the lint names files as the repository does.
    /// </summary>
    public static string RepoRelative(string path)
    {
        var normal = path.Replace('\\', '/');
        var at = normal.LastIndexOf("/src/", StringComparison.Ordinal);
        return at >= 0 ? normal[(at + 1)..] : normal;
    }
}

/// <summary>An id cited from code that the requirement catalog does not hold.</summary>
public sealed class MissingRequirementException(string message) : InvalidOperationException(message);

/// <summary>
/// The sentences code cites, resolved from the requirement catalog the program reads its fixtures from
/// (fixtures/requirements/ of the checkout or of the installed tool: the files every run loads), loaded once on
/// first use. Code keeps ids, never sentences, so one RFC sentence is stored once. An id the catalog lacks throws,
/// naming the id and the citing line: a report never shows an empty or stale sentence.
/// </summary>
public static class CitedRequirements
{
    private static readonly Lazy<RequirementCatalog> Catalog = new(() =>
    {
        var root = RepoPaths.Root();
        return RequirementCatalog.Load(RepoPaths.Requirements(root), root);
    });

    /// <summary>The catalog entry <paramref name="citation"/> names; throws <see cref="MissingRequirementException"/> when there is none.</summary>
    public static Requirement Get(RequirementCitation citation) => Resolve(Catalog.Value, citation);

    /// <summary>The catalog entry <paramref name="citation"/> names, or null; for declarations that must load even when the lint will reject them.</summary>
    public static Requirement? Find(RequirementCitation citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        return Catalog.Value.Find(citation.Id);
    }

    /// <summary>The catalog entry <paramref name="citation"/> names in <paramref name="catalog"/>, or a <see cref="MissingRequirementException"/> naming the id and where it is cited.</summary>
    public static Requirement Resolve(RequirementCatalog catalog, RequirementCitation citation)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(citation);
        return catalog.Find(citation.Id)
            ?? throw new MissingRequirementException($"{citation.Location}: {citation.Citer} cites requirement \"{citation.Id}\", which fixtures/requirements/ does not hold");
    }
}
