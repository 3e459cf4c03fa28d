// Standalone entry point: dotnet run --project src/ReferenceServer -- --port 8080 (default 0 = any free port).
using System.Globalization;
using System.Runtime.InteropServices;
using Conformance.ReferenceServer;

var port = 0;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length
        && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535)
    {
        port = p;
    }
    else
    {
        await Console.Error.WriteLineAsync("usage: ReferenceServer [--port N]   (N in 0..65535, 0 = any free port)");
        return 2;
    }
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
// The server runs without a console lifetime (it is built to live inside test hosts), so the entry point
// owns Ctrl-C and SIGTERM itself; e.Cancel keeps the process alive long enough to stop cleanly.
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });

await using var server = await ReferenceServerApp.StartAsync(port, logToConsole: true);
Console.WriteLine($"Listening on http://127.0.0.1:{server.Port}");
Console.WriteLine(server.ServerIdentity);
await stop.Task;
return 0;
