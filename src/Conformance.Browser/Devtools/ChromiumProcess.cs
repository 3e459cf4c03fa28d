using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Browser.Devtools;

/// <summary>
/// One Chromium process with its DevTools connection: started headless with a private, temporary profile and
/// a DevTools socket on a free loopback port (port 0: Chromium picks it and says which on stderr), and stopped
/// by its PID, the profile deleted, when disposed.
/// </summary>
public sealed partial class ChromiumProcess : IAsyncDisposable
{
    /// <summary>
    /// Flags beside the caller's: headless, no first-run or default browser window (each page is one the suite
    /// opens), no throttling of pages in the background (several cases' pages are open at once and none is in
    /// front), and no crash reporter or keyring. The same set automation tools use for a clean, quiet browser.
    /// </summary>
    private static readonly string[] AutomationArgs =
    [
        "--headless", "--no-startup-window", "--disable-extensions", "--disable-default-apps",
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
        "--disable-ipc-flooding-protection", "--disable-hang-monitor", "--disable-breakpad", "--password-store=basic",
        "--use-mock-keychain", "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb",
        // The network service (cookie store, HTTP cache, sockets: the same code) runs in the browser process
        // instead of a utility process of its own: one process fewer to start, about 0.3 s of CPU per run.
        "--enable-features=NetworkServiceInProcess2",
        // The compositor's GPU thread (software: --disable-gpu) runs in the browser process too: no GPU process
        // to start and no copy of each frame between processes; measured, a quarter less of Chromium's CPU for
        // five pages with their screenshots.
        "--in-process-gpu",
        // Nothing may change what a case asked for: no upgrade of an http navigation to https (the full
        // browser tries https first for a plain-http host on port 80), no Accept-CH restart of a navigation,
        // and no translation, media-router or hints traffic of its own.
        "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,AcceptCHFrame,Translate,MediaRouter,DialMediaRouteProvider,OptimizationHints,CertificateTransparencyComponentUpdater",
    ];

    /// <summary>
    /// Chromium keeps its shared memory (compositor frames, IPC buffers) in /dev/shm and crashes when that
    /// fills, as in a container with Docker's default 64 MB; there it is told to use the temp folder instead
    /// (--disable-dev-shm-usage). Not where /dev/shm is large: the temp folder may be a disk, and on the
    /// 2-core CI machine that flag alone made the raw cases running beside Chromium about 10% slower.
    /// </summary>
    internal static bool SharedMemoryIsSmall(string folder = "/dev/shm")
    {
        try
        {
            var drive = new DriveInfo(folder);
            return !drive.IsReady || drive.TotalSize < 512L * 1024 * 1024;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>How long Chromium may take to open its DevTools socket (a cold start on a busy two-core machine takes about 1 s).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly string profileDirectory;

    private ChromiumProcess(Process process, string profileDirectory, DevtoolsConnection connection)
    {
        this.process = process;
        this.profileDirectory = profileDirectory;
        Connection = connection;
    }

    public DevtoolsConnection Connection { get; }

    public int ProcessId => process.Id;

    /// <summary>The private, temporary profile (cookie jar, cache) this Chromium was started with; deleted on dispose.</summary>
    public string ProfileDirectory => profileDirectory;

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>The channel used unless a caller chooses: pipes wherever /bin/sh can hand them over.</summary>
    public static DevtoolsChannel DefaultChannel => OperatingSystem.IsWindows() ? DevtoolsChannel.WebSocket : DevtoolsChannel.Pipe;

    /// <summary>
    /// Starts Chromium and connects to it. Throws <see cref="DevtoolsException"/> with Chromium's last words
    /// when it does not come up.
    /// </summary>
    /// <param name="channel">Pipes or a websocket; default <see cref="DefaultChannel"/>.</param>
    public static async Task<ChromiumProcess> StartAsync(string executable, IEnumerable<string> args, DevtoolsChannel? channel = null, CancellationToken ct = default)
    {
        if (!File.Exists(executable)) throw new DevtoolsException($"{executable} does not exist");
        var profile = Directory.CreateTempSubdirectory("conformance-chromium-").FullName;
        var pipe = (channel ?? DefaultChannel) == DevtoolsChannel.Pipe;
        // Over pipes, /bin/sh hands our stdin and stdout to Chromium as its descriptors 3 and 4 (what
        // --remote-debugging-pipe reads and writes) and then becomes Chromium (exec: the same PID), whose own
        // stdin and stdout go nowhere.
        var info = pipe ? new ProcessStartInfo("/bin/sh") : new ProcessStartInfo(executable);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        if (pipe)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null");
            info.ArgumentList.Add(executable);
        }
        foreach (var a in AutomationArgs.Concat(args)) info.ArgumentList.Add(a);
        if (SharedMemoryIsSmall()) info.ArgumentList.Add("--disable-dev-shm-usage");
        if (pipe)
        {
            info.ArgumentList.Add("--remote-debugging-pipe");
        }
        else
        {
            info.ArgumentList.Add("--remote-debugging-port=0");
            info.ArgumentList.Add("--remote-debugging-address=127.0.0.1");
        }
        // No start page: with --no-startup-window the browser opens no page of its own, so no renderer runs
        // that no case asked for.
        info.ArgumentList.Add($"--user-data-dir={profile}");

        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            var match = ListeningLine().Match(line);
            if (match.Success) endpoint.TrySetResult(new Uri(match.Groups[1].Value));
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20) tail.Dequeue();
            }
        };
        process.Exited += (_, _) => endpoint.TrySetException(new DevtoolsException($"Chromium exited with code {SafeExitCode(process)} before it opened DevTools{LastWords(tail)}"));
        try
        {
            if (!process.Start()) throw new DevtoolsException($"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            TryDelete(profile);
            throw new DevtoolsException($"{executable} could not be started: {e.Message}");
        }
        process.BeginErrorReadLine();
        DevtoolsConnection? connection = null;
        try
        {
            if (pipe)
            {
                connection = DevtoolsConnection.Over(new PipeTransport(process.StandardInput.BaseStream, process.StandardOutput.BaseStream));
                // Chromium is up when it answers; a browser that exits first closes the pipes, which fails this at once.
                await connection.SendAsync("Browser.getVersion", null, null, StartTimeout, ct).ConfigureAwait(false);
            }
            else
            {
                // stdout is drained: a full pipe would stall the browser.
                process.OutputDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.StandardInput.Close();
                var uri = await endpoint.Task.WaitAsync(StartTimeout, ct).ConfigureAwait(false);
                connection = DevtoolsConnection.Over(await WebSocketTransport.ConnectAsync(uri, ct).ConfigureAwait(false));
            }
            return new ChromiumProcess(process, profile, connection);
        }
        catch (Exception e) when (e is TimeoutException or DevtoolsException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            // Chromium's exit code and last words say more than a closed pipe does.
            var exited = await ExitedAsync(process, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            Stop(process);
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            process.WaitForExit(1000); // bounded: a renderer left behind could hold stderr open
            var why = exited
                ? $"Chromium exited with code {SafeExitCode(process)} before it opened DevTools{LastWords(tail)}"
                : e switch
                {
                    TimeoutException => $"Chromium opened no DevTools connection within {StartTimeout.TotalSeconds:0} s{LastWords(tail)}",
                    System.Net.WebSockets.WebSocketException => $"Chromium's DevTools socket refused the connection: {e.Message}",
                    _ => e.Message,
                };
            process.Dispose();
            TryDelete(profile);
            if (e is OperationCanceledException && !exited) throw;
            throw new DevtoolsException(why);
        }
    }

    private static async Task<bool> ExitedAsync(Process p, TimeSpan bound)
    {
        using var timer = new CancellationTokenSource(bound);
        try
        {
            await p.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string LastWords(Queue<string> tail)
    {
        lock (tail) return tail.Count == 0 ? "" : ": " + string.Join(" | ", tail.TakeLast(3));
    }

    private static string SafeExitCode(Process p)
    {
        try
        {
            return p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static void Stop(Process p)
    {
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Deletes the profile once Chromium has exited (so nothing writes to it any more).</summary>
    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind costs nothing that matters; failing the run for it would.
        }
    }

    /// <summary>Asks Chromium to close, waits briefly, then stops it (and its renderers) by its PID, and deletes the profile.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.SendAsync("Browser.close", null, null, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DevtoolsException or TimeoutException)
        {
            // A browser that is gone or hung is stopped below.
        }
        // Still running 3 s after Browser.close: stopped by its PID. Only then is the connection closed, since a
        // read on a pipe ends when the browser's end of it closes.
        if (!await ExitedAsync(process, TimeSpan.FromSeconds(3)).ConfigureAwait(false))
        {
            Stop(process);
            await ExitedAsync(process, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        await Connection.DisposeAsync().ConfigureAwait(false);
        process.Dispose();
        TryDelete(profileDirectory);
    }
}
