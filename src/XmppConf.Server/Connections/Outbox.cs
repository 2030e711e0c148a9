using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace XmppConf.Server.Connections;

/// <summary>
/// The bounded queue of serialised stanzas waiting for one connection, and the single writer loop
/// that owns its PipeWriter. Senders never await a client: they enqueue and move on; a client
/// that does not read fills its queue and is disconnected instead of growing server memory.
/// </summary>
internal sealed class Outbox
{
    // Flush early when a batch gets large so one busy connection cannot hold many megabytes unflushed.
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private int _overflowed;

    public Outbox(long maxQueuedBytes) => _maxQueuedBytes = maxQueuedBytes;

    /// <summary>True once a write was refused because the client stopped reading.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Queues bytes for the writer loop. False when the bound is exceeded or the outbox is closed.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> bytes)
    {
        if (Interlocked.Add(ref _queuedBytes, bytes.Length) > _maxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -bytes.Length);
            Interlocked.Exchange(ref _overflowed, 1);
            return false;
        }
        if (_queue.Writer.TryWrite(bytes)) return true;
        Interlocked.Add(ref _queuedBytes, -bytes.Length);
        return false;
    }

    /// <summary>No more writes; the loop drains what is queued and ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes queued stanzas in batches: one flush (one syscall) per burst, not per stanza.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var pending = 0;
            while (reader.TryRead(out var bytes))
            {
                output.Write(bytes.Span);
                pending += bytes.Length;
                Interlocked.Add(ref _queuedBytes, -bytes.Length);
                if (pending >= FlushThresholdBytes)
                {
                    var partial = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (partial.IsCompleted || partial.IsCanceled) return;
                    pending = 0;
                }
            }
            var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled) return;
        }
    }
}
