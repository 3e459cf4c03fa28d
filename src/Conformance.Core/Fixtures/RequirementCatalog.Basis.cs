using Conformance.Harness.Model;

namespace Conformance.Harness.Fixtures;

/// <summary>
/// Where an entry's level comes from when its quote has no keyword. An ABNF rule ("chunk-size = 1*HEXDIG") or a
/// definition is cited at MUST, but the MUST is written elsewhere (RFC 9110 §2.2: a recipient "MUST be able to
/// parse any value ... that matches the grammar"): the entry names that sentence with "basis:", and a reader of
/// a FAIL sees both quotes.
/// </summary>
public sealed partial class RequirementCatalog
{
    /// <summary>
    /// Resolves every "basis:" in <paramref name="all"/> in place, and reports an entry whose quote lacks its
    /// level's keyword (MUST or SHOULD) without a basis, a basis that is unknown, that lacks the keyword itself, or that changes
    /// nothing because the quote already holds its keyword.
    /// </summary>
    private static void ResolveBases(List<Requirement> all, List<FixtureError> errors)
    {
        var byId = new Dictionary<string, Requirement>(StringComparer.Ordinal);
        foreach (var entry in all) byId.TryAdd(entry.Id, entry);
        for (var i = 0; i < all.Count; i++)
        {
            var entry = all[i];
            var own = StrongestKeyword(entry.Quote);
            var keyword = entry.Level.ToKeyword();
            if (entry.BasisId is null)
            {
                // A MAY earns INFO at most: it claims no breach, so a definition cited at MAY needs no basis.
                if (own is null && entry.Level != RequirementLevel.May)
                {
                    errors.Add(new FixtureError(entry.SourceFile, entry.Line, "basis",
                        $"the quote of \"{entry.Id}\" holds no {keyword} (nor any keyword), so it must name the entry that makes it a {keyword}: "
                        + $"add \"basis: ID\" after \"level:\" (for a grammar rule, the RFC 9110 §2.2 sentence for recipients or senders)"));
                }
                continue;
            }
            if (entry.BasisId == ProfileBasis)
            {
                // The behaviour is the one the target's profile declares for a role (its missing path answers 404,
                // its redirect is the 301 it names, its cookie checker recognises the cookie): the level comes from
                // that declaration, said so in the report, not from a keyword of the RFC.
                if (own is not null) errors.Add(new FixtureError(entry.SourceFile, entry.Line, "basis", $"\"{entry.Id}\" quotes its own {own.Value.ToKeyword()}; its \"basis: {ProfileBasis}\" changes nothing, remove it"));
                continue;
            }
            if (own is not null)
            {
                errors.Add(new FixtureError(entry.SourceFile, entry.Line, "basis", $"\"{entry.Id}\" quotes its own {own.Value.ToKeyword()}; its \"basis: {entry.BasisId}\" changes nothing, remove it"));
                continue;
            }
            if (!byId.TryGetValue(entry.BasisId, out var basis))
            {
                errors.Add(new FixtureError(entry.SourceFile, entry.Line, "basis", $"unknown requirement id \"{entry.BasisId}\" in \"basis:\" of \"{entry.Id}\""));
                continue;
            }
            if (StrongestKeyword(basis.Quote) != entry.Level)
            {
                errors.Add(new FixtureError(entry.SourceFile, entry.Line, "basis",
                    $"the basis \"{basis.Id}\" of \"{entry.Id}\" must quote a {keyword} to make it one, but its quote's strongest keyword is {StrongestKeyword(basis.Quote)?.ToKeyword() ?? "none"}"));
                continue;
            }
            all[i] = entry with { Basis = basis };
        }
    }

    /// <summary>
    /// "basis: profile": the level comes from the target's profile, which declares the behaviour for one of its
    /// roles, not from a keyword; a server that contradicts its own profile is judged at that level.
    /// </summary>
    public const string ProfileBasis = "profile";

    private static string? BasisField(Dictionary<string, (int Line, string Value)> fields) =>
        fields.TryGetValue("basis", out var basis) && basis.Value.Length > 0 ? basis.Value : null;

    /// <summary>
    /// The quote as reports show it: the entry's own words, and where its level comes from another sentence,
    /// that sentence too, e.g. `chunk-size = 1*HEXDIG (MUST by RFC 9112 §7.1: "A recipient MUST be able to parse
    /// and decode the chunked transfer coding.")`.
    /// </summary>
    public static string Shown(Requirement requirement) => requirement.Basis is { } basis
        ? $"{requirement.Quote} ({requirement.Level.ToKeyword()} by {basis.Rfc}: \"{basis.Quote}\")"
        : requirement.BasisId == ProfileBasis
            ? $"{requirement.Quote} ({requirement.Level.ToKeyword()} by the target's profile, which declares this behaviour for the role)"
            : requirement.Quote;

    /// <summary>Every id the catalog itself cites: the bases, which count as cited for the uncited-entry lint.</summary>
    public IEnumerable<string> CitedByEntries => byId.Values.Select(e => e.BasisId).OfType<string>().Where(id => id != ProfileBasis);
}
