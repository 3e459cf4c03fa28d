using System.Diagnostics;

namespace Conformance.Harness.Servers;

/// <summary>
/// Sends a signal to one process by its id. .NET can only SIGKILL a process; nginx and httpd shut down
/// cleanly (flushing their logs, removing the pid file, reaping workers) only on their own signals. The
/// kill(1) program is used rather than P/Invoke so the harness needs no unsafe code.
/// </summary>
internal static class PosixSignal
{
    public const string Term = "TERM";
    public const string Quit = "QUIT";

    /// <summary>True when kill(1) reported the signal delivered.</summary>
    public static bool Send(int pid, string signal)
    {
        if (OperatingSystem.IsWindows()) return false;
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-" + signal);
        psi.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var kill = Process.Start(psi);
            if (kill is null) return false;
            _ = kill.StandardError.ReadToEnd();
            return kill.WaitForExit(TimeSpan.FromSeconds(5)) && kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
