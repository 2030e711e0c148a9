using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace XmppConf.Server.Connections;

/// <summary>
/// The bounded queue of serialised stanzas waiting for one connection, and the single writer loop
/// that owns its PipeWriter. Senders never await a client: they enqueue and move on; a client
/// that does not read fills its queue and is disconnected instead of growing server memory.
/// Bulk senders of the session itself (offline messages) instead pace themselves with
/// <see cref="WaitForSpaceAsync"/> and learn what went out with <see cref="WhenFlushedAsync"/>.
/// </summary>
internal sealed class Outbox
{
    // Flush early when a batch gets large so one busy connection cannot hold many megabytes unflushed.
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private int _overflowed;
    private volatile bool _closed;
    // Set by a waiter for space, completed (and cleared) by the writer after its next flush.
    private TaskCompletionSource? _spaceSignal;

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
        if (_queue.Writer.TryWrite(new Entry(bytes, null))) return true;
        Interlocked.Add(ref _queuedBytes, -bytes.Length);
        return false;
    }

    /// <summary>
    /// Waits until <paramref name="bytes"/> more would fit under the bound, as the writer flushes.
    /// False once the outbox is closed, or for a size that can never fit.
    /// </summary>
    public async ValueTask<bool> WaitForSpaceAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytes > _maxQueuedBytes) return false;
        while (true)
        {
            var signal = Volatile.Read(ref _spaceSignal);
            if (signal is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                signal = Interlocked.CompareExchange(ref _spaceSignal, created, null) ?? created;
            }
            // Checked after the signal is in place, so a flush between check and wait still wakes us.
            if (_closed) return false;
            if (QueuedBytes + bytes <= _maxQueuedBytes) return true;
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes with true once everything queued before this call has been flushed to the
    /// transport; false if the writer stops (or the outbox closed) first.
    /// </summary>
    public Task<bool> WhenFlushedAsync()
    {
        var flushed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite(new Entry(default, flushed)) ? flushed.Task : Task.FromResult(false);
    }

    /// <summary>No more writes; the loop drains what is queued and ends.</summary>
    public void Complete()
    {
        _queue.Writer.TryComplete();
        _closed = true;
        SignalSpace();
    }

    /// <summary>Writes queued stanzas in batches: one flush (one syscall) per burst, not per stanza.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var pending = 0;
                while (reader.TryRead(out var entry))
                {
                    if (entry.Flushed is { } marker)
                    {
                        // Everything queued before the marker goes out before it is answered.
                        if (pending > 0 && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
                        {
                            marker.TrySetResult(false);
                            return;
                        }
                        pending = 0;
                        marker.TrySetResult(true);
                        continue;
                    }
                    output.Write(entry.Bytes.Span);
                    pending += entry.Bytes.Length;
                    Interlocked.Add(ref _queuedBytes, -entry.Bytes.Length);
                    if (pending >= FlushThresholdBytes)
                    {
                        if (!await FlushAsync(output, cancellationToken).ConfigureAwait(false)) return;
                        pending = 0;
                    }
                }
                if (!await FlushAsync(output, cancellationToken).ConfigureAwait(false)) return;
            }
        }
        finally
        {
            // Nothing more will be written: refuse new entries and tell whoever waits.
            _queue.Writer.TryComplete();
            _closed = true;
            while (_queue.Reader.TryRead(out var left))
            {
                left.Flushed?.TrySetResult(false);
            }
            SignalSpace();
        }
    }

    /// <summary>False when the transport is gone.</summary>
    private async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        SignalSpace();
        return !result.IsCompleted && !result.IsCanceled;
    }

    private void SignalSpace() => Interlocked.Exchange(ref _spaceSignal, null)?.TrySetResult();

    /// <summary>Serialised stanza bytes, or (with empty bytes) a marker answered once what precedes it is flushed.</summary>
    private readonly record struct Entry(ReadOnlyMemory<byte> Bytes, TaskCompletionSource<bool>? Flushed);
}
