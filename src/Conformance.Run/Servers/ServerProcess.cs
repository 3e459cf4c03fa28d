using System.Diagnostics;

namespace Conformance.Harness.Servers;

/// <summary>The server's foreground process, with its stdout and stderr kept in logs/stdout.log and logs/stderr.log.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter stdout;
    private readonly StreamWriter stderr;
    private readonly Lock gate = new();

    private ServerProcess(Process process, StreamWriter stdout, StreamWriter stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public int Id { get; private set; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Completes when the process exits: the event every wait races against.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public static ServerProcess Start(string binary, IEnumerable<string> arguments, string runDirectory)
    {
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = runDirectory,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var logs = Path.Combine(runDirectory, "logs");
        var stdout = new StreamWriter(Path.Combine(logs, "stdout.log"), append: true) { AutoFlush = true };
        var stderr = new StreamWriter(Path.Combine(logs, "stderr.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var wrapper = new ServerProcess(process, stdout, stderr);
        process.OutputDataReceived += (_, e) => wrapper.Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(stderr, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            wrapper.Dispose();
            throw new ServerLaunchException($"{binary} could not be started: {e.Message}");
        }
        wrapper.Id = process.Id;
        wrapper.Exited = process.WaitForExitAsync();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    private void Append(StreamWriter writer, string? line)
    {
        if (line is null) return;
        lock (gate) writer.WriteLine(line);
    }

    /// <summary>Asks the process to stop with <paramref name="signal"/>; kills the whole tree if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(string signal, TimeSpan grace)
    {
        if (process.HasExited) return;
        if (PosixSignal.Send(process.Id, signal))
        {
            using var bound = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Fall through: it did not stop cleanly in time.
            }
        }
        process.Kill(entireProcessTree: true);
        using var killBound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(killBound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new ServerLaunchException($"process {process.Id} did not exit within 5 s of SIGKILL");
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stdout.Dispose();
            stderr.Dispose();
        }
        process.Dispose();
    }
}
