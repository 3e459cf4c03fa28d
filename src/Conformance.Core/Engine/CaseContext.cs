using System.Text;
using Bogus;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Engine;

/// <summary>
/// Resolves placeholders for one case. Random values come from a generator seeded by the run seed and the
/// case id only, so a case gets the same values whatever order or shard it runs in.
/// </summary>
public sealed class CaseContext
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> missingCaptures = new(StringComparer.Ordinal);

    public CaseContext(ConformanceCase @case, Target target, int runSeed)
    {
        Case = @case;
        Target = target;
        Seed = CaseSeed(runSeed, @case.Id);
        Faker = new Faker { Random = new Randomizer(Seed) };
    }

    public ConformanceCase Case { get; }
    public Target Target { get; }
    public int Seed { get; }

    /// <summary>Bogus, seeded for this case.</summary>
    public Faker Faker { get; }

    public TargetProfile Profile => Target.Profile;

    /// <summary>Combines the run seed with a stable hash of the id (FNV-1a; string.GetHashCode differs per process).</summary>
    public static int CaseSeed(int runSeed, string caseId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(caseId)) hash = (hash ^ b) * 16777619u;
        return (int)((hash ^ (uint)runSeed) & 0x7FFFFFFF);
    }

    private readonly List<string> drawn = [];

    /// <summary>
    /// The seeded random values this case drew ({random.*} and tampered values), in order: reports keep them
    /// so a run can be retraced, and snapshots scrub them wherever they appear (an echo, a cookie pair).
    /// </summary>
    public IReadOnlyList<string> RandomValues => drawn;

    private static bool IsRandom(string name) => name.StartsWith("random.", StringComparison.Ordinal) || name.StartsWith("path.writable", StringComparison.Ordinal) || name.Contains("|tamper", StringComparison.Ordinal);

    public void Capture(string name, string value) => values[Placeholders.CapturePrefix + name] = value;

    public void CaptureMissing(string name, string reason) => missingCaptures[Placeholders.CapturePrefix + name] = reason;

    /// <summary>Resolves one placeholder; throws <see cref="CaseSkippedException"/> when its role or capture is unavailable.</summary>
    public string Resolve(string name)
    {
        if (values.TryGetValue(name, out var known)) return known;
        var spec = Placeholders.Parse(name);
        if (spec.Transforms.Count > 0 || spec.FullName != spec.BaseName)
        {
            // A numbered draw is a fresh value of its kind; a transform derives from the plain value. Both are
            // fixed once made, so one spelling names one value in every step of the case.
            var derived = spec.Transforms.Count > 0 ? Resolve(spec.FullName) : Draw(spec.BaseName);
            foreach (var t in spec.Transforms) derived = PlaceholderTransforms.Apply(t, derived, name, this);
            values[name] = derived;
            if (IsRandom(name)) drawn.Add(derived);
            return derived;
        }
        var value = Draw(name);
        // A value is fixed once drawn, so {path.missing} names the same path in every step of a case.
        values[name] = value;
        if (IsRandom(name)) drawn.Add(value);
        return value;
    }

    private string Draw(string name)
    {
        if (missingCaptures.TryGetValue(name, out var why)) throw new CaseSkippedException(why);
        var roles = Profile.Roles;
        string Need<T>(T? role, string roleName, Func<T, string> pick) where T : class
            => role is null ? throw new CaseSkippedException(RoleMissing(roleName)) { Role = roleName } : pick(role);
        return name switch
        {
            "host" => Target.Authority,
            "random.token" => Faker.Random.AlphaNumeric(16),
            "path.existing" => Need(roles.Existing, Roles.Existing, r => r.Path),
            "path.validators" => Need(roles.Validators, Roles.Validators, r => r.Path),
            "path.redirect" => Need(roles.Redirect, Roles.Redirect, r => r.Path),
            "redirect.location" => Need(roles.Redirect, Roles.Redirect, r => r.Location),
            "redirect.status" => Need(roles.Redirect, Roles.Redirect, r => r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "random.cookie-name" => CookieValues.Name(Faker),
            "random.cookie-value" => CookieValues.Value(Faker),
            "path.missing" => Need(roles.Missing, Roles.Missing, MissingPath),
            "path.cookie-setter" => Need(roles.CookieSetter, Roles.CookieSetter, r => r.Path),
            "path.cookie-checker" => Need(roles.CookieChecker, Roles.CookieChecker, r => r.Path),
            "cookie.name" => Need(roles.CookieChecker, Roles.CookieChecker, r => r.Cookie
                ?? throw new CaseSkippedException($"profile \"{Profile.Name}\" names no cookie for its cookieChecker (field \"cookie\"), so the round trip cannot be judged")),
            "path.cookie-echo" => Need(roles.CookieEcho, Roles.CookieEcho, r => r.Path),
            "path.echo" => Need(roles.Echo, Roles.Echo, r => r.Path),
            "echo.method" => Need(roles.Echo, Roles.Echo, r => r.Method),
            "path.ranges" => Need(roles.Ranges, Roles.Ranges, r => r.Path),
            "path.negotiated" => Need(roles.Negotiated, Roles.Negotiated, r => r.Path),
            "negotiated.field" => Need(roles.Negotiated, Roles.Negotiated, r => r.Field),
            "negotiated.first" => Need(roles.Negotiated, Roles.Negotiated, r => r.Values[0]),
            "negotiated.second" => Need(roles.Negotiated, Roles.Negotiated, r => r.Values[1]),
            // A fresh name under the folder, so each case PUTs to a resource that does not exist yet. PUT changes
            // the server's state, so a seeded name alone would meet the resource an earlier run with the same seed
            // created: a per-draw unique part makes every run's name new. Reports keep the name (RandomValues) and
            // snapshots scrub it, so baselines do not depend on it.
            "path.writable" => Need(roles.Writable, Roles.Writable, r => r.Path + "new-" + Faker.Random.AlphaNumeric(8).ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..12]),
            _ when name.StartsWith(Placeholders.CapturePrefix, StringComparison.Ordinal)
                => throw new InvalidOperationException($"{{{name}}} is used before it was captured"),
            _ => throw new InvalidOperationException($"unknown placeholder {{{name}}}"),
        };
    }

    public string RoleMissing(string role) => Profile.RoleMissing(role);

    /// <summary>A seeded random path under the profile's prefix, or one of its declared missing paths.</summary>
    private string MissingPath(MissingRole role)
    {
        if (role.Random)
        {
            var prefix = role.RandomPrefix.EndsWith('/') ? role.RandomPrefix : role.RandomPrefix + "/";
            return prefix + Faker.Lorem.Slug(2) + "-" + Faker.Random.AlphaNumeric(10).ToLowerInvariant();
        }
        return role.Paths[Faker.Random.Int(0, role.Paths.Count - 1)];
    }

    /// <summary>Resolves the segments of a send block into the exact bytes to write.</summary>
    public byte[] Render(IReadOnlyList<ByteSegment> segments)
    {
        using var buffer = new MemoryStream();
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case LiteralBytes l: buffer.Write(l.Bytes); break;
                case PlaceholderRef p: buffer.Write(Encoding.Latin1.GetBytes(Resolve(p.Name))); break;
                case RepeatBytes r:
                    for (var i = 0; i < r.Count; i++) buffer.Write(r.Unit);
                    break;
                default: throw new InvalidOperationException($"unknown segment {segment.GetType().Name}");
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Resolves {placeholders} inside an assertion operand.</summary>
    public string RenderText(string text)
    {
        if (!text.Contains('{', StringComparison.Ordinal)) return text;
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (open < 0 || close < 0) { sb.Append(text, i, text.Length - i); break; }
            sb.Append(text, i, open - i).Append(Resolve(text[(open + 1)..close]));
            i = close + 1;
        }
        return sb.ToString();
    }
}

/// <summary>The case cannot apply to this target (a missing role or validator); the message says why.</summary>
public sealed class CaseSkippedException(string reason) : Exception(reason)
{
    /// <summary>The profile role whose absence made the case SKIP, when that is the reason.</summary>
    public string? Role { get; init; }
}
