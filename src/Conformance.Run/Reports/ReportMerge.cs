using System.Globalization;
using Conformance.Harness.Engine;

namespace Conformance.Harness.Reports;

/// <summary>
/// Joins the report.json files of the shards of one run (a CI matrix, --shard k/n) into the report of the
/// whole run. Only reports of the same run may be joined: the same suite, fixture hash, seed, filter and
/// target; anything else would mix verdicts about different things, so it is refused with the reason.
/// Every output (summary, certification, junit, html, md) is then regenerated from the merged report.
/// </summary>
public static class ReportMerge
{
    /// <summary>Merges reports read from files; a mismatch or duplicate case is a <see cref="InvalidDataException"/> naming the file.</summary>
    public static RunReport Merge(IReadOnlyList<(string Path, RunReport Report)> inputs)
    {
        if (inputs.Count == 0) throw new InvalidDataException("no report to merge");
        var (firstPath, first) = inputs[0];
        foreach (var (path, report) in inputs.Skip(1))
        {
            void Same(string what, string? a, string? b)
            {
                if (!string.Equals(a, b, StringComparison.Ordinal))
                    throw new InvalidDataException($"{path}: cannot merge with {firstPath}: different {what} (\"{b}\" vs \"{a}\"); only shards of one run can be merged");
            }
            Same("fixture hashes", first.Fixtures.Sha256, report.Fixtures.Sha256);
            Same("seeds", first.Seed.ToString(CultureInfo.InvariantCulture), report.Seed.ToString(CultureInfo.InvariantCulture));
            Same("suite versions", first.Suite.Version, report.Suite.Version);
            Same("target profiles", first.Target.Profile, report.Target.Profile);
            Same("targets", TargetKey(first.Target), TargetKey(report.Target));
            Same("filters", first.Run.Filter, report.Run.Filter);
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, report) in inputs)
        {
            foreach (var c in report.Cases)
            {
                if (!seen.TryAdd(c.Id, path))
                    throw new InvalidDataException($"{path}: case \"{c.Id}\" is also in {seen[c.Id]}; the reports overlap (the same shard twice, or shards of different splits)");
            }
        }

        var (complete, note) = Completeness(inputs);
        var cases = inputs.SelectMany(i => i.Report.Cases).OrderBy(c => FixtureOrder(c.Source).File, StringComparer.Ordinal)
            .ThenBy(c => FixtureOrder(c.Source).Line).ToList();
        var merged = new RunReport
        {
            Suite = first.Suite,
            Fixtures = first.Fixtures,
            Seed = first.Seed,
            Target = first.Target with { ServerIdentity = inputs.Select(i => i.Report.Target.ServerIdentity).FirstOrDefault(s => s is not null) },
            Run = new RunInfo
            {
                StartedAt = inputs.Min(i => i.Report.Run.StartedAt),
                FinishedAt = inputs.Max(i => i.Report.Run.FinishedAt),
                // Shards run side by side on separate runners: the run took as long as its slowest shard.
                DurationMs = inputs.Max(i => i.Report.Run.DurationMs),
                Complete = complete,
                Strict = inputs.Any(i => i.Report.Run.Strict),
                Parallelism = inputs.Max(i => i.Report.Run.Parallelism),
                Filter = first.Run.Filter,
                Note = note,
                // Every shard splits the same selection: what its filter left out is the same for all.
                NotSelected = first.Run.NotSelected,
                Label = first.Run.Label,
                Operator = first.Run.Operator,
            },
            Summary = ReportBuilder.Summarise(cases),
            Cases = cases,
        };
        return merged with { Certification = Certification.From(merged) };
    }

    /// <summary>Reads, merges and writes every output into <paramref name="outDirectory"/>; returns the gate's exit code (2 when the reports cannot be merged).</summary>
    public static int Run(IReadOnlyList<string> paths, string outDirectory, IReadOnlyList<IReportWriter> writers, TextWriter stdout, TextWriter stderr)
    {
        RunReport merged;
        try
        {
            merged = Merge(paths.Select(p => (p, JsonReport.Read(p))).ToList());
        }
        catch (Exception e) when (e is InvalidDataException or UsageException)
        {
            stderr.WriteLine($"conformance merge: {e.Message}");
            return ExitCodes.BadUsage;
        }
        foreach (var writer in writers) writer.Write(merged, outDirectory);
        stdout.WriteLine($"merged {paths.Count} report(s): {merged.Summary.Total} cases");
        stdout.Write(ConsoleSummary.Render(merged, outDirectory));
        return RunSession.GateExitCode(merged, merged.Run.Strict);
    }

    /// <summary>
    /// A launched server (reference, bundled) listens on a new free port in every shard, so its URL is not
    /// part of its identity; a server given by --target is identified by its URL.
    /// </summary>
    private static string TargetKey(TargetInfo t) => t.Launched == true ? $"a server the suite started ({t.Profile})" : t.Url;

    /// <summary>Complete when every input is complete and, for shards, every shard 1..n of one split is present.</summary>
    private static (bool Complete, string? Note) Completeness(IReadOnlyList<(string Path, RunReport Report)> inputs)
    {
        var notes = new List<string>();
        foreach (var (path, report) in inputs.Where(i => !i.Report.Run.Complete))
            notes.Add($"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))}: {report.Run.Note ?? "incomplete"}");
        var shards = inputs.Select(i => i.Report.Run.Shard).ToList();
        if (shards.Any(s => s is not null))
        {
            var parsed = inputs.Select(i => i.Report.Run.Shard is { } s ? Shard.Parse(s, i.Path) : throw new InvalidDataException($"{i.Path}: not a shard, but other reports are; merge either shards of one split or nothing")).ToList();
            var counts = parsed.Select(s => s.Count).Distinct().ToList();
            if (counts.Count > 1)
                throw new InvalidDataException($"cannot merge shards of different splits ({string.Join(", ", parsed.Select(s => s.ToString()))})");
            var missing = Enumerable.Range(1, counts[0]).Except(parsed.Select(s => s.Index)).Select(k => $"{k.ToString(CultureInfo.InvariantCulture)}/{counts[0].ToString(CultureInfo.InvariantCulture)}").ToList();
            if (missing.Count > 0) notes.Add($"shards missing: {string.Join(", ", missing)}");
        }
        return (notes.Count == 0, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    /// <summary>"fixtures/cases/x.cases:42" → (file, 42): cases sort as the fixture set lists them (files in ordinal order, then line).</summary>
    private static (string File, int Line) FixtureOrder(string source)
    {
        var colon = source.LastIndexOf(':');
        return colon > 0 && int.TryParse(source.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            ? (source[..colon], line)
            : (source, 0);
    }
}
