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

    public static RunReport Read(string path)
    {
        var report = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path}: empty report");
        if (report.Schema != RunReport.CurrentSchema)
            throw new InvalidDataException($"{path}: schema \"{report.Schema}\" is not \"{RunReport.CurrentSchema}\"");
        return report;
    }
}
