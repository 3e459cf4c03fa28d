using System.CommandLine;
using Conformance.Harness.Model;

namespace Conformance.Cli;

/// <summary>Parse errors in the user's words: an unknown option is named with the nearest real one.</summary>
internal static class UsageErrors
{
    public static IEnumerable<string> Explain(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var optionNames = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).ToList();
        var commandNames = command.Subcommands.Select(c => c.Name).ToList();
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var afterUnknownOption = false;
        var explained = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in parsed.Tokens.Select(t => t.Value))
        {
            if (!unmatched.Contains(token))
            {
                afterUnknownOption = false;
                continue;
            }
            explained.Add(token);
            if (token.StartsWith('-'))
            {
                var near = NearestName.Find(token.Split('=')[0], optionNames);
                yield return $"unknown option {token} for `{Describe(command)}`" + (near is null ? "" : $"; did you mean {near}?");
                afterUnknownOption = true;
            }
            else if (!afterUnknownOption)
            {
                // A word after an unknown option is most likely its value: naming the option is enough.
                var near = NearestName.Find(token, commandNames);
                yield return $"unexpected argument \"{token}\" for `{Describe(command)}`" + (near is null ? "" : $"; did you mean `{near}`?");
            }
        }
        foreach (var error in parsed.Errors)
        {
            // System.CommandLine reports each unmatched token too; those are explained above.
            if (explained.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            yield return error.Message;
        }
    }

    private static string Describe(Command command) => command is RootCommand ? "conformance" : $"conformance {command.Name}";
}
