using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conformance.Harness.Reports;

/// <summary>Writes and reads report.json.</summary>
public static class JsonReport
{
    public const string FileName = "report.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Transcripts are already escaped; keep them readable instead of \u-escaping every quote.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(RunReport report) => JsonSerializer.Serialize(report, Options);

    public static string Write(RunReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Serialize(report) + "\n");
        return path;
    }

    /// <summary>Reads a report. Every problem (missing file, bad JSON, unknown schema) is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static RunReport Read(string path)
    {
        RunReport? report;
        try
        {
            report = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: cannot read the report: {e.Message}", e);
        }
        if (report is null) throw new InvalidDataException($"{path}: empty report");
        if (!RunReport.ReadableSchemas.Contains(report.Schema, StringComparer.Ordinal))
            throw new InvalidDataException($"{path}: schema \"{report.Schema}\" is not one of {string.Join(", ", RunReport.ReadableSchemas)}");
        // Reports from before the certification existed get it computed, so every reader can rely on it.
        return report.Certification is null ? report with { Certification = Certification.From(report) } : report;
    }
}
