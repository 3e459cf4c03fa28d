using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Conformance.Harness.Snapshots;

/// <summary>A unified diff (the format every reviewer reads) built on DiffPlex's line diff.</summary>
public static class UnifiedDiff
{
    public static string Render(string oldName, string newName, string oldText, string newText, int context = 3)
    {
        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(oldText, newText, ignoreWhitespace: false);
        // Each line with its position in the old and new text, so hunks can be numbered.
        var lines = new List<(ChangeType Type, string Text, int Old, int New)>();
        int o = 0, n = 0;
        foreach (var piece in model.Lines)
        {
            switch (piece.Type)
            {
                case ChangeType.Deleted: lines.Add((ChangeType.Deleted, piece.Text, ++o, n)); break;
                case ChangeType.Inserted: lines.Add((ChangeType.Inserted, piece.Text, o, ++n)); break;
                case ChangeType.Imaginary: break;
                default: lines.Add((ChangeType.Unchanged, piece.Text, ++o, ++n)); break;
            }
        }

        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var i = 0;
        while (i < lines.Count)
        {
            if (lines[i].Type == ChangeType.Unchanged) { i++; continue; }
            var start = Math.Max(0, i - context);
            var end = i;
            // Extend the hunk while the next change is within two contexts of the last one.
            for (var j = i; j < lines.Count; j++)
            {
                if (lines[j].Type != ChangeType.Unchanged) end = j;
                else if (j - end > 2 * context) break;
            }
            var stop = Math.Min(lines.Count - 1, end + context);
            var hunk = lines.GetRange(start, stop - start + 1);
            var oldCount = hunk.Count(l => l.Type != ChangeType.Inserted);
            var newCount = hunk.Count(l => l.Type != ChangeType.Deleted);
            var oldStart = oldCount == 0 ? hunk[0].Old : hunk.First(l => l.Type != ChangeType.Inserted).Old;
            var newStart = newCount == 0 ? hunk[0].New : hunk.First(l => l.Type != ChangeType.Deleted).New;
            sb.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
            foreach (var l in hunk)
                sb.Append(l.Type switch { ChangeType.Deleted => '-', ChangeType.Inserted => '+', _ => ' ' }).Append(l.Text).Append('\n');
            i = stop + 1;
        }
        return sb.ToString();
    }
}
