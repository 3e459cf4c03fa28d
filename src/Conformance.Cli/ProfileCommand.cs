using System.CommandLine;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;

namespace Conformance.Cli;

/// <summary>
/// `conformance profile --target URL [--out FILE]`: probes a server, writes a starting profile, and says which
/// roles it could not find and what each would add. With `conformance run --target URL --profile FILE` after
/// it, a user gets from nothing to a full run in two commands (docs/profiles.md).
/// </summary>
internal static class ProfileCommand
{
    public const string DefaultFile = "conformance-profile.json";

    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "Base URL of the server to probe, e.g. http://127.0.0.1:8080.", Required = true };
        var output = new Option<string?>("--out") { Description = $"Where to write the profile (default ./{DefaultFile}); an existing file is not overwritten." };
        var name = new Option<string?>("--name") { Description = "The profile's short name, used in report paths and baselines (default \"mine\")." };
        var seed = new Option<string?>("--seed") { Description = "Seed for the random missing path and probe values." };
        var existing = new Option<string?>("--existing") { Description = "A path that answers 200 to GET, if \"/\" does not." };
        var validators = new Option<string?>("--validators") { Description = "A path that answers with ETag or Last-Modified, if none is found." };
        var redirect = new Option<string?>("--redirect") { Description = "A path that answers a permanent redirect." };
        var cookieSetter = new Option<string?>("--cookie-setter") { Description = "A path that answers with Set-Cookie." };
        var cookieChecker = new Option<string?>("--cookie-checker") { Description = "A path that shows whether it got the setter's cookie (by its status or by echoing the value)." };
        var cookieEcho = new Option<string?>("--cookie-echo") { Description = "A path that lists the cookies it received, one name=value line each." };
        var echo = new Option<string?>("--echo") { Description = "A path that returns the content of a POST." };
        var secureCookieSetter = new Option<string?>("--secure-cookie-setter") { Description = "A path that answers with a Set-Cookie carrying Secure (the browser's Secure-cookie case, over https)." };
        var ranges = new Option<string?>("--ranges") { Description = "A path that answers byte ranges, if neither the validators nor the existing resource does." };
        var negotiated = new Option<string?>("--negotiated") { Description = "A path whose representation depends on a request field its Vary names (e.g. Accept-Language)." };
        var negotiatedValues = new Option<string?>("--negotiated-values") { Description = "Two values of that field, A,B, that select different representations (default en,fr for Accept-Language)." };
        var writable = new Option<string?>("--writable") { Description = "A folder, ending in '/', where PUT creates resources; the probe PUTs one fresh file there." };

        var command = new Command("profile", "Probe a server and write a starting profile: its existing and missing resources, validators and byte ranges, and the redirect, cookie, echo, negotiated and writable paths you name. Prints the roles it could not find and what each would add.");
        foreach (var o in new Option[] { target, output, name, seed, existing, validators, redirect, cookieSetter, cookieChecker, cookieEcho, echo, secureCookieSetter, ranges, negotiated, negotiatedValues, writable }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(output) ?? DefaultFile;
            Uri uri;
            WizardHints hints;
            int seedValue;
            try
            {
                uri = Target.ParseUrl(parse.GetValue(target)!);
                seedValue = parse.GetValue(seed) is { } s ? RunOptions.ParseInt(s, "--seed", 0, int.MaxValue) : RunSettings.NewSeed();
                hints = new WizardHints
                {
                    Name = parse.GetValue(name) ?? "mine",
                    Existing = Path(parse.GetValue(existing), "--existing"),
                    Validators = Path(parse.GetValue(validators), "--validators"),
                    Redirect = Path(parse.GetValue(redirect), "--redirect"),
                    CookieSetter = Path(parse.GetValue(cookieSetter), "--cookie-setter"),
                    CookieChecker = Path(parse.GetValue(cookieChecker), "--cookie-checker"),
                    CookieEcho = Path(parse.GetValue(cookieEcho), "--cookie-echo"),
                    Echo = Path(parse.GetValue(echo), "--echo"),
                    SecureCookieSetter = Path(parse.GetValue(secureCookieSetter), "--secure-cookie-setter"),
                    Ranges = Path(parse.GetValue(ranges), "--ranges"),
                    Negotiated = Path(parse.GetValue(negotiated), "--negotiated"),
                    NegotiatedValues = Values(parse.GetValue(negotiatedValues), "--negotiated-values"),
                    Writable = Folder(parse.GetValue(writable), "--writable"),
                };
                if (File.Exists(file)) throw new UsageException($"{file} exists; remove it or name another file with --out");
            }
            catch (Exception e) when (e is UsageException or ArgumentException)
            {
                Console.Error.WriteLine($"conformance: {e.Message}");
                return ExitCodes.BadUsage;
            }

            WizardResult result;
            try
            {
                result = await new ProfileWizard(uri, new Conformance.Harness.Wire.WireOptions()).RunAsync(hints, seedValue, ct).ConfigureAwait(false);
            }
            catch (Conformance.Harness.Wire.TargetUnreachableException e)
            {
                Console.Error.WriteLine($"conformance: could not reach {uri}: {e.Message}");
                return ExitCodes.TargetOrHarness;
            }
            catch (ProfileException e)
            {
                Console.Error.WriteLine($"conformance: {e.Message}");
                return ExitCodes.BadUsage;
            }
            await File.WriteAllTextAsync(file, result.Json, ct).ConfigureAwait(false);

            Console.WriteLine($"probed {uri}; wrote {file}");
            foreach (var line in result.Found) Console.WriteLine("  found " + line);
            var root = RepoPaths.Root();
            var cases = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases;
            var reach = ProfileWizard.RoleReach(cases, result.Profile);
            if (result.NotFound.Count > 0) Console.WriteLine("not found (add them to the profile by hand, or name them and run this again):");
            foreach (var (role, why) in result.NotFound)
            {
                var (bringsIn, inFull) = reach.GetValueOrDefault(role);
                Console.WriteLine($"  {role}: {why}");
                Console.WriteLine($"    would bring in {bringsIn} case(s) that SKIP without it and judge {inFull} more in full: {CoverageLines.RoleAdds(role)}");
            }
            Console.WriteLine($"next: conformance run --target {uri} --profile {file}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? Folder(string? value, string option)
        => Path(value, option) is not { } path ? null
            : path.EndsWith('/') ? path : throw new UsageException($"{option}: expected a folder ending in '/', got \"{value}\"");

    private static IReadOnlyList<string>? Values(string? value, string option)
    {
        if (value is null) return null;
        var values = value.Split(',', StringSplitOptions.TrimEntries);
        return values.Length == 2 && values.All(v => v.Length > 0 && v.All(c => c >= ' ' && c < 0x7f)) && values[0] != values[1] ? values
            : throw new UsageException($"{option}: expected two different printable values A,B, got \"{value}\"");
    }

    private static string? Path(string? value, string option)
        => value is null || (value.StartsWith('/') && !value.Any(c => c <= ' ' || c >= 0x7f)) ? value
            : throw new UsageException($"{option}: expected an absolute path starting with '/', got \"{value}\"");
}
