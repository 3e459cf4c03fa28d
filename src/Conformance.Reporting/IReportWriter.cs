namespace Conformance.Harness.Reports;

/// <summary>One output of a run (report.json, junit.xml, ...), written into the run's folder.</summary>
public interface IReportWriter
{
    /// <summary>Writes the file(s) and returns the path of the main one.</summary>
    string Write(RunReport report, string directory);
}

public sealed class JsonReportWriter : IReportWriter
{
    public string Write(RunReport report, string directory) => JsonReport.Write(report, directory);
}

/// <summary>The writers every run uses, in the order they are written (report.json first: it is the record).</summary>
public static class ReportWriters
{
    public static IReadOnlyList<IReportWriter> All() =>
        [new JsonReportWriter(), new JUnitReportWriter(), new HtmlReportWriter(), new MarkdownSummaryWriter()];
}

/// <summary>Writes a text report file: UTF-8 without a BOM (CI readers and diff tools choke on one).</summary>
public static class ReportFiles
{
    public static string WriteText(string directory, string fileName, string content)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, content, new System.Text.UTF8Encoding(false));
        return path;
    }
}
