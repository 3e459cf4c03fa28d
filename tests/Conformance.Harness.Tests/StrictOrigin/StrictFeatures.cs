using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// The response side the application writes to: status, fields and a body buffered whole, so the server decides
/// the framing (RFC 9112 §6) only once the application is done and knows exactly how many bytes there are.
/// </summary>
internal sealed class StrictResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> onCompleted = [];
    private PipeWriter? writer;

    public StrictResponseFeature() => Stream = Content;

    public MemoryStream Content { get; } = new();

    public int StatusCode { get; set; } = 200;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream")]
    public Stream Body { get => Stream; set => Stream = value; }

    public Stream Stream { get; private set; }

    public PipeWriter Writer => writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state) => onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => onCompleted.Add((callback, state));

    public void DisableBuffering()
    {
        // The whole response is buffered on purpose: the framing is chosen once its length is known.
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        if (count is { } n)
        {
            var bytes = new byte[n];
            await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            await Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await file.CopyToAsync(Stream, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CompleteAsync()
    {
        if (writer is not null) await writer.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Runs the OnStarting callbacks (last registered first, as ASP.NET Core servers do) and marks the response started.</summary>
    public async Task StartingAsync()
    {
        if (writer is not null) await writer.FlushAsync().ConfigureAwait(false);
        for (var i = onStarting.Count - 1; i >= 0; i--) await onStarting[i].Callback(onStarting[i].State).ConfigureAwait(false);
        HasStarted = true;
    }

    public async Task CompletedAsync()
    {
        for (var i = onCompleted.Count - 1; i >= 0; i--) await onCompleted[i].Callback(onCompleted[i].State).ConfigureAwait(false);
    }
}
