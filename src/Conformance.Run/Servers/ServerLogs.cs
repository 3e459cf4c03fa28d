using System.Text;

namespace Conformance.Harness.Servers;

/// <summary>The end of a bundled server's logs, for startup failures and crashes.</summary>
public static class ServerLogs
{
    private static readonly string[] Files = ["error.log", "stderr.log", "stdout.log"];

    /// <summary>The last lines of each non-empty log under &lt;run&gt;/logs/, each headed by its path.</summary>
    public static string Tail(string runDirectory, int lines = 15)
    {
        var text = new StringBuilder();
        foreach (var name in Files)
        {
            var path = Path.Combine(runDirectory, "logs", name);
            string[] all;
            try
            {
                // The server may still hold the file open for writing.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (all.Length == 0) continue;
            text.AppendLine($"--- last lines of {path}:");
            foreach (var line in all.Skip(Math.Max(0, all.Length - lines))) text.AppendLine("  " + line.TrimEnd('\r'));
        }
        return text.Length == 0 ? $"(no log output under {Path.Combine(runDirectory, "logs")})" : text.ToString().TrimEnd();
    }
}
