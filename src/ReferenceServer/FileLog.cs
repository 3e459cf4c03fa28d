using System.Globalization;
using System.Text;

namespace Conformance.ReferenceServer;

/// <summary>
/// Writes the host's log entries (Kestrel's included) to one file, one line per entry, exception and stack
/// on the same line. In-process hosts (the CLI, the NUnit suite) use it so that Kestrel's complaints about
/// the malformed requests the suite sends on purpose end up in the run's server log, never on the console
/// where they would break the progress line and look like a harness crash.
/// </summary>
internal sealed class FileLogProvider : ILoggerProvider
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public FileLogProvider(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private void Write(string line)
    {
        lock (gate)
        {
            // A log call racing the host's shutdown must not throw into Kestrel.
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }

    private sealed class FileLogger(FileLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = new StringBuilder()
                .Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .Append(' ').Append(logLevel).Append(' ').Append(category).Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ")
                .Append(OneLine(formatter(state, exception)));
            if (exception is not null) line.Append(" | ").Append(OneLine(exception.ToString()));
            owner.Write(line.ToString());
        }

        private static string OneLine(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ');
    }
}
