using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.Cli;
using Conformance.Harness.Tests.ReferenceServer;

namespace Conformance.Harness.Tests.Reach;

/// <summary>
/// `conformance profile` against real servers: it writes only roles it saw behave as the role says, explains
/// every role it could not find, and its profile drives a run at once (the "two commands" promise).
/// </summary>
public sealed class ProfileWizardTests : ReferenceServerTestBase
{
    private static readonly Conformance.Harness.Wire.WireOptions Wire = new() { ReadTimeout = TimeSpan.FromSeconds(2) };

    private Uri Base => new($"http://127.0.0.1:{Port}/");

    [Test]
    public async Task The_reference_server_yields_the_roles_of_its_committed_profile()
    {
        var hints = new WizardHints
        {
            Name = "probed", Redirect = "/old-location", CookieSetter = "/cookies/set", CookieChecker = "/cookies/check",
            CookieEcho = "/cookies/echo", Echo = "/echo", Validators = "/static/validated.txt",
            SecureCookieSetter = "/cookies/set-secure", Ranges = "/static/ranged.txt", Negotiated = "/negotiated", Writable = "/uploads/",
        };
        var result = await new ProfileWizard(Base, Wire).RunAsync(hints, seed: 3, CancellationToken.None);
        var r = result.Profile.Roles;
        var committed = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json")).Roles;
        Assert.That(result.NotFound, Is.Empty, string.Join("\n", result.NotFound));
        Assert.That(r.Existing!.Path, Is.EqualTo(committed.Existing!.Path));
        Assert.That(r.Validators!.Path, Is.EqualTo(committed.Validators!.Path));
        Assert.That((r.Redirect!.Path, r.Redirect.Location, r.Redirect.Status), Is.EqualTo((committed.Redirect!.Path, committed.Redirect.Location, committed.Redirect.Status)));
        Assert.That(r.Missing!.Random, Is.True);
        Assert.That((r.CookieChecker!.Cookie, r.CookieChecker.Mode, r.CookieChecker.SeenStatus, r.CookieChecker.NotSeenStatus),
            Is.EqualTo((committed.CookieChecker!.Cookie, "validates", committed.CookieChecker.SeenStatus, committed.CookieChecker.NotSeenStatus)));
        Assert.That(r.CookieEcho!.Path, Is.EqualTo(committed.CookieEcho!.Path));
        Assert.That(r.Echo!.Path, Is.EqualTo(committed.Echo!.Path));
        Assert.That(r.SecureCookieSetter!.Path, Is.EqualTo(committed.SecureCookieSetter!.Path));
        Assert.That(r.Ranges!.Path, Is.EqualTo(committed.Ranges!.Path));
        Assert.That((r.Negotiated!.Path, r.Negotiated.Field, r.Negotiated.Values), Is.EqualTo((committed.Negotiated!.Path, committed.Negotiated.Field, committed.Negotiated.Values)));
        Assert.That(r.Writable!.Path, Is.EqualTo(committed.Writable!.Path));
    }

    [Test]
    public async Task Ranges_are_found_on_the_validators_resource_when_it_answers_a_byte_range()
    {
        var result = await new ProfileWizard(Base, Wire).RunAsync(new WizardHints { Validators = "/static/ranged.txt" }, seed: 3, CancellationToken.None);
        Assert.That(result.Profile.Roles.Ranges!.Path, Is.EqualTo("/static/ranged.txt"));
        Assert.That(result.Found, Has.Some.Contains("ranges: GET /static/ranged.txt with Range: bytes=0-0 answered 206"));
    }

    [Test]
    public async Task Named_paths_for_the_newer_roles_that_do_not_behave_as_the_role_are_left_out_with_the_reason()
    {
        // "/" sets no cookie, answers no range, varies on nothing, and takes no PUT (405).
        var result = await new ProfileWizard(Base, Wire).RunAsync(
            new WizardHints { SecureCookieSetter = "/cookies/set", Ranges = "/", Negotiated = "/", Writable = "/pages/" }, seed: 3, CancellationToken.None);
        var r = result.Profile.Roles;
        Assert.That((r.SecureCookieSetter, r.Ranges, r.Negotiated, r.Writable), Is.EqualTo(((PathRole?)null, (PathRole?)null, (NegotiatedRole?)null, (PathRole?)null)));
        var why = result.NotFound.ToDictionary(n => n.Role, n => n.Why);
        Assert.That(why[Roles.SecureCookieSetter], Does.Contain("GET /cookies/set answered 200 without a Set-Cookie carrying Secure"));
        Assert.That(why[Roles.Ranges], Does.Contain("GET / with Range: bytes=0-0 answered 200, not a 206"));
        Assert.That(why[Roles.Negotiated], Does.Contain("without a Vary field"));
        Assert.That(why[Roles.Writable], Does.Match("PUT /pages/conformance-probe-[0-9]+ answered 40[45], not 2xx"));
    }

    [Test]
    public async Task A_named_path_that_does_not_behave_as_its_role_is_left_out_with_the_reason()
    {
        var result = await new ProfileWizard(Base, Wire).RunAsync(new WizardHints { Redirect = "/", Echo = "/", CookieSetter = "/" }, seed: 3, CancellationToken.None);
        Assert.That(result.Profile.Roles.Redirect, Is.Null);
        Assert.That(result.Profile.Roles.Echo, Is.Null);
        Assert.That(result.Profile.Roles.CookieSetter, Is.Null);
        var why = result.NotFound.ToDictionary(n => n.Role, n => n.Why);
        Assert.That(why[Roles.Redirect], Does.Contain("GET / answered 200, not a 3xx with Location"));
        Assert.That(why[Roles.Echo], Does.Contain("without the content it was sent"));
        Assert.That(why[Roles.CookieChecker], Does.Contain("--cookie-checker"));
    }

    [Test]
    public async Task A_server_with_nothing_but_a_page_gets_existing_and_missing_and_the_reach_of_each_role_it_lacks()
    {
        await using var plain = new FramingServer(ContentFraming.Correct);
        var result = await new ProfileWizard(new Uri($"http://127.0.0.1:{plain.Port}/"), Wire).RunAsync(new WizardHints(), seed: 3, CancellationToken.None);
        Assert.That(result.Profile.Roles.Existing!.Path, Is.EqualTo("/"));
        Assert.That(result.Profile.Roles.Missing, Is.Not.Null);
        Assert.That(result.NotFound.Select(n => n.Role), Is.EquivalentTo(new[] { Roles.Validators, Roles.Redirect, Roles.CookieSetter, Roles.CookieChecker, Roles.CookieEcho, Roles.Echo, Roles.SecureCookieSetter, Roles.Ranges, Roles.Negotiated, Roles.Writable }));

        var root = RepoPaths.Root();
        var cases = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases;
        var reach = ProfileWizard.RoleReach(cases, result.Profile);
        // Without echo only the cases that judge the echo's own response SKIP; the rest run on weaker evidence.
        Assert.That(reach[Roles.Echo].BringsIn, Is.EqualTo(3));
        Assert.That(reach[Roles.Echo].JudgesInFull, Is.GreaterThan(30));
        Assert.That(reach[Roles.Validators].BringsIn, Is.EqualTo(cases.Count(c => c.NeededRoles.Contains(Roles.Validators))));
    }

    [Test]
    public async Task Two_commands_take_a_user_from_nothing_to_a_run()
    {
        var dir = Directory.CreateTempSubdirectory("wizard-").FullName;
        var file = Path.Combine(dir, "mine.json");
        var wizard = await CliProcess.RunAsync("profile", "--target", Base.ToString(), "--out", file, "--redirect", "/old-location", "--seed", "5");
        Assert.That(wizard.ExitCode, Is.EqualTo(ExitCodes.Ok), wizard.ToString());
        Assert.That(wizard.Stdout, Does.Contain("found redirect: GET /old-location answered 301").And.Contain("echo: no echo named")
            .And.Contain("would bring in 3 case(s) that SKIP without it").And.Contain($"next: conformance run --target {Base} --profile {file}"));
        Assert.That(TargetProfileLoader.Load(file).Roles.Echo, Is.Null);

        var again = await CliProcess.RunAsync("profile", "--target", Base.ToString(), "--out", file);
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.BadUsage), "an existing profile is never overwritten");

        var run = await CliProcess.RunAsync("run", "--target", Base.ToString(), "--profile", file, "--filter", "chunked", "--out", Path.Combine(dir, "run"), "--seed", "5");
        Assert.That(run.Stdout, Does.Contain("coverage: ").And.Contain("role echo would bring in 0 and judge"), run.ToString());
        Assert.That(run.Stdout, Does.Not.Contain("needs the \"echo\" role"), "no chunked case skips for want of an echo role");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());

        var certifying = await CliProcess.RunAsync("run", "--target", Base.ToString(), "--profile", file, "--filter", "chunked", "--out", Path.Combine(dir, "run2"), "--seed", "5", "--require-all-must");
        Assert.That(certifying.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), "the filter left MUST cases out: a lab's gate fails");
        Directory.Delete(dir, recursive: true);
    }
}
