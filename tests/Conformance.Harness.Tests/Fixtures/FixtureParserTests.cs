using System.Text;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>The fixture format: exact bytes for every escape rule, and every lint error located by file, line and field.</summary>
public sealed class FixtureParserTests
{
    /// <summary>A catalog with one check, so these tests do not depend on the real checks.</summary>
    private sealed class TestCatalog : ICheckCatalog
    {
        public IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal) { "probe" };

        public string? ValidateArguments(string name, IReadOnlyList<string> arguments) => arguments.Count == 1 ? null : "expects 1 argument";
    }

    private const string Header = """
        case: sample-case
        area: sample
        # The case cites a sentence of the tests' own catalog
        # (TestRequirements)
        requirement: rfc9112-2.2-sample
        does: Sends bytes.

        """;

    private static (IReadOnlyList<ConformanceCase> Cases, IReadOnlyList<FixtureError> Errors) Parse(string text)
        => new FixtureParser(new TestCatalog(), TestRequirements.Catalog).Parse(text, "fixtures/cases/sample.cases");

    private static string Send(params string[] lines) => "send:\n```\n" + string.Join("\n", lines) + "\n```\n";

    /// <summary>The bytes a case's first send renders, with placeholders shown as {name}.</summary>
    private static string Bytes(ConformanceCase c)
    {
        var send = (SendStep)c.Steps[0];
        var sb = new StringBuilder();
        foreach (var s in send.Segments)
        {
            sb.Append(s switch
            {
                LiteralBytes l => Encoding.Latin1.GetString(l.Bytes),
                PlaceholderRef p => "{" + p.Name + "}",
                RepeatBytes r => string.Concat(Enumerable.Repeat(Encoding.Latin1.GetString(r.Unit), r.Count)),
                _ => "?",
            });
        }
        return sb.ToString();
    }

    private static ConformanceCase Single(string text)
    {
        var (cases, errors) = Parse(text);
        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        Assert.That(cases, Has.Count.EqualTo(1));
        return cases[0];
    }

    [Test]
    public void Every_line_of_a_send_block_ends_in_crlf_and_the_empty_line_ends_the_head()
    {
        var c = Single(Header + Send("GET / HTTP/1.1", "Host: {host}", "") + "expect: 200\n");
        Assert.That(Bytes(c), Is.EqualTo("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        Assert.That(c.Id, Is.EqualTo("sample-case"));
        Assert.That(c.Rfc, Is.EqualTo(new RfcReference(9112, "2.2")));
        Assert.That(c.Level, Is.EqualTo(RequirementLevel.Must));
        Assert.That(c.Line, Is.EqualTo(1));
    }

    [Test]
    public void A_line_ending_in_an_explicit_lf_escape_ends_in_a_bare_lf()
        => Assert.That(Bytes(Single(Header + Send("GET / HTTP/1.1\\n", "Host: x\\n", "\\n") + "expect: 200\n")), Is.EqualTo("GET / HTTP/1.1\nHost: x\n\n"));

    [Test]
    public void A_line_ending_in_an_explicit_cr_escape_ends_in_a_bare_cr()
        => Assert.That(Bytes(Single(Header + Send("X: a\\r", "") + "expect: 200\n")), Is.EqualTo("X: a\r\r\n"));

    [Test]
    public void A_lone_backslash_at_the_end_means_no_terminator_and_no_final_newline()
        => Assert.That(Bytes(Single(Header + Send("GET / HTTP/1.1", "", "hel\\", "lo\\") + "expect: 200\n")), Is.EqualTo("GET / HTTP/1.1\r\n\r\nhello"));

    [TestCase("\\t", "\t")]
    [TestCase("\\0", "\0")]
    [TestCase("\\s", " ")]
    [TestCase("\\\\", "\\")]
    [TestCase("\\{", "{")]
    [TestCase("\\x00\\x7F\\xff", "\0\x7F\xFF")]
    [TestCase("{repeat:3:ab}", "ababab")]
    public void Escapes_spell_exact_bytes(string written, string bytes)
        => Assert.That(Bytes(Single(Header + Send("A" + written + "\\") + "expect: 200\n")), Is.EqualTo("A" + bytes));

    [Test]
    public void Placeholders_imply_the_roles_a_case_needs()
    {
        var c = Single(Header + Send("GET {path.redirect} HTTP/1.1", "Host: {host}", "") + "expect: 301\n  header Location: == {path.validators}\n");
        Assert.That(c.NeededRoles, Is.EquivalentTo(new[] { Roles.Redirect, Roles.Validators }));
    }

    [Test]
    public void Outcome_sets_keep_each_alternative_with_its_verdict()
    {
        var c = Single(Header + Send("X") + "expect: 501 | 400 WARN | 2xx FAIL | close INFO | timeout\n");
        var expect = c.Steps.OfType<ExpectStep>().Single();
        Assert.That(expect.Outcomes.ToString(), Is.EqualTo("501 | 400 WARN | 2xx FAIL | close INFO | timeout"));
        Assert.That(expect.Outcomes.Match(ObservedKind.Status, 204)?.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(expect.Outcomes.Match(ObservedKind.Status, 404), Is.Null, "an unlisted outcome matches nothing and earns the level's verdict");
        Assert.That(expect.Outcomes.Match(ObservedKind.Closed, null)?.Verdict, Is.EqualTo(Verdict.Info));
    }

    [Test]
    public void Assertions_parse_with_their_level_overrides()
    {
        var c = Single(Header + Send("X") + """
            expect: 301
              header Location: present [SHOULD]
              header Set-Cookie: count 2
              body: contains moved
              connection: open
              capture tag: header ETag
              check: probe one
            send:
            ```
            Y {capture.tag}
            ```
            expect: 304

            """);
        var a = c.Steps.OfType<ExpectStep>().First().Assertions;
        Assert.That(a, Has.Count.EqualTo(6));
        Assert.That(a[0], Is.EqualTo(new HeaderAssertion(a[0].Line, RequirementLevel.Should, "Location", HeaderOp.Present, "")));
        Assert.That(a[1], Is.EqualTo(new HeaderAssertion(a[1].Line, null, "Set-Cookie", HeaderOp.Count, "2")));
        Assert.That(a[3], Is.EqualTo(new ConnectionAssertion(a[3].Line, null, ConnectionState.Open)));
        Assert.That(a[4], Is.EqualTo(new CaptureAssertion(a[4].Line, "tag", "ETag")));
        Assert.That(((NamedCheckAssertion)a[5]).Arguments, Is.EqualTo(new[] { "one" }));
    }

    [Test]
    public void An_assertion_scoped_with_on_applies_only_to_those_statuses()
    {
        var c = Single(Header + Send("X") + """
            expect: 2xx | 411
              on 2xx: body: == hello
              on 411 | 413: connection: closed [MUST]
              header Date: present

            """);
        var expect = c.Steps.OfType<ExpectStep>().Single();
        Assert.That(expect.Assertions[0], Is.InstanceOf<BodyAssertion>());
        Assert.That(expect.Assertions[1].Level, Is.EqualTo(RequirementLevel.Must));
        Assert.That(expect.AssertionsFor(ObservedKind.Status, 200), Has.Count.EqualTo(2), "the body and the Date apply to a 2xx");
        Assert.That(expect.AssertionsFor(ObservedKind.Status, 411).OfType<ConnectionAssertion>(), Has.Exactly(1).Items, "the close applies to a 411");
        Assert.That(expect.AssertionsFor(ObservedKind.Status, 411).OfType<BodyAssertion>(), Is.Empty, "the 2xx content is not asked of a 411");
        Assert.That(expect.AssertionsFor(ObservedKind.Status, 413).OfType<ConnectionAssertion>(), Has.Exactly(1).Items);
    }

    [Test]
    public void Continuation_lines_join_a_long_requirement()
    {
        var c = Single(Header.Replace("A sender MUST NOT generate a bare CR.", "A sender MUST NOT\n  generate a bare CR.", StringComparison.Ordinal) + Send("X") + "expect: 200\n");
        Assert.That(c.Requirement, Is.EqualTo("A sender MUST NOT generate a bare CR."));
    }

    // Each lint error names the file, the line and the field.
    [TestCase("color: blue\n", 11, "color", "unknown field")]
    [TestCase("expect: 200\n  check: nope x\n", 12, "check", "unknown check")]
    [TestCase("expect: 200\n  check: probe\n", 12, "check", "expects 1 argument")]
    [TestCase("expect: 200\n  header Date: shiny\n", 12, "header", "unknown header assertion")]
    [TestCase("expect: 2x1\n", 11, "expect", "unknown outcome")]
    [TestCase("expect: 200 MAYBE\n", 11, "expect", "unknown verdict")]
    [TestCase("expect: 200\n  connection: ajar\n", 12, "connection", "expected \"open\" or \"closed\"")]
    [TestCase("expect: 200\n  header Date: present [OPTIONAL]\n", 12, "level", "unknown level")]
    [TestCase("pause: 10s\nexpect: 200\n", 11, "pause", "duration")]
    [TestCase("expect: 200\n  on close: body: empty\n", 12, "expect", "only to statuses or classes")]
    [TestCase("expect: 200\n  on 2xx body empty\n", 12, "expect", "on OUTCOMES: ASSERTION")]
    public void Lint_names_the_line_and_field_of_a_bad_step(string steps, int line, string field, string message)
        => AssertError(Header + Send("X") + steps, line, field, message);

    [TestCase("GET \\q", "unknown escape \\q")]
    [TestCase("GET \\x4", "two hex digits")]
    [TestCase("GET {path.nowhere}", "unknown placeholder")]
    [TestCase("GET {capture.tag}", "before any earlier step captures")]
    [TestCase("GET {repeat:0:a}", "repeat:N:text")]
    [TestCase("GET /\u00e9", "raw byte 0xE9")]
    [TestCase("GET /\t", "raw TAB")]
    [TestCase("GET / ", "trailing whitespace")]
    [TestCase("GET {host", "never closed")]
    public void Lint_rejects_undecodable_request_bytes_on_their_line(string requestLine, string message)
        => AssertError(Header + Send(requestLine) + "expect: 200\n", 9, "send", message);

    [TestCase("# (TestRequirements)\n", "level: SOMETIMES\n", 4, "level", "MUST, SHOULD or MAY")]
    [TestCase("# (TestRequirements)\n", "level: must\n", 4, "level", "MUST, SHOULD or MAY")]
    [TestCase("# (TestRequirements)\n", "level: MUST\n", 4, "level", "repeats the level")]
    [TestCase("# (TestRequirements)\n", "rfc: RFC 9112 §2.2\n", 4, "rfc", "no longer a case field")]
    [TestCase("requirement: rfc9112-2.2-sample\n", "requirement: rfc9112-2.2-nowhere\n", 5, "requirement", "unknown requirement id \"rfc9112-2.2-nowhere\"")]
    [TestCase("requirement: rfc9112-2.2-sample\n", "requirement: A sender MUST NOT generate a bare CR.\n", 5, "requirement", "not the sentence itself")]
    [TestCase("requirement: rfc9112-2.2-sample\n", "", 1, "requirement", "has no \"requirement:\" field")]
    [TestCase("case: sample-case\n", "case: Sample_Case\n", 1, "case", "lowercase slug")]
    [TestCase("does: Sends bytes.\n", "", 1, "does", "has no \"does:\" field")]
    [TestCase("area: sample\n", "", 1, "area", "has no \"area:\" field")]
    public void Lint_rejects_bad_metadata(string from, string to, int line, string field, string message)
        => AssertError(Header.Replace(from, to, StringComparison.Ordinal) + Send("X") + "expect: 200\n", line, field, message);

    [Test]
    public void Lint_rejects_an_unterminated_block()
        => AssertError(Header + "send:\n```\nGET / HTTP/1.1\n", 8, "send", "never closed");

    [Test]
    public void Lint_rejects_a_case_that_expects_nothing()
        => AssertError(Header + Send("X"), 1, "expect", "expects nothing");

    [Test]
    public void Lint_rejects_a_raw_cr_in_the_file()
        => AssertError(Header + Send("GET / HTTP/1.1\r") + "expect: 200\n", 9, "file", "raw CR");

    [Test]
    public void Lint_rejects_a_field_given_twice()
        => AssertError(Header.Replace("does: Sends bytes.\n", "does: Sends bytes.\ndoes: Again.\n", StringComparison.Ordinal) + Send("X") + "expect: 200\n", 7, "does", "given twice");

    [Test]
    public void Lint_reports_every_error_not_just_the_first()
    {
        var (_, errors) = Parse(Header.Replace("# (TestRequirements)", "level: OFTEN", StringComparison.Ordinal) + Send("GET \\q") + "expect: 2x1\n");
        Assert.That(errors.Select(e => e.Field), Is.EquivalentTo(new[] { "level", "send", "expect" }));
    }

    private static void AssertError(string text, int line, string field, string message)
    {
        var (_, errors) = Parse(text);
        Assert.That(errors, Has.Some.Matches<FixtureError>(e => e.Line == line && e.Field == field && e.Message.Contains(message, StringComparison.Ordinal)),
            $"expected an error at line {line} [{field}] containing \"{message}\"; got:\n{string.Join("\n", errors)}");
        Assert.That(errors.All(e => e.File == "fixtures/cases/sample.cases"), Is.True);
        Assert.That(errors[0].ToString(), Does.StartWith("fixtures/cases/sample.cases:"));
    }
}
