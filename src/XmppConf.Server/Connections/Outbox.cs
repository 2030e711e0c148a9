using System.Buffers;
using System.IO.Pipelines;

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
    // Entries an idle queue may keep room for; a larger array (from a burst) is released.
    private const int IdleQueueCapacity = 8;

    // A plain queue under a lock rather than a Channel: an idle connection then holds a few dozen
    // bytes here instead of ~1.4 KB of channel segments and reusable async operations.
    private readonly Lock _gate = new();
    private readonly Queue<Entry> _queue = new();
    private readonly ReusableSignal _wakeup = new();
    private bool _writerAsleep; // guarded by _gate
    private bool _completed;    // guarded by _gate: no more entries are accepted
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
        if (TryAdd(new Entry(bytes, null))) return true;
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
        return TryAdd(new Entry(default, flushed)) ? flushed.Task : Task.FromResult(false);
    }

    private bool TryAdd(Entry entry)
    {
        lock (_gate)
        {
            if (_completed) return false;
            _queue.Enqueue(entry);
            if (!_writerAsleep) return true;
            _writerAsleep = false;
        }
        _wakeup.Set();
        return true;
    }

    /// <summary>Refuses further entries and wakes the writer so it drains what is queued and ends.</summary>
    private void CompleteQueue()
    {
        lock (_gate)
        {
            _completed = true;
            if (!_writerAsleep) return;
            _writerAsleep = false;
        }
        _wakeup.Set();
    }

    /// <summary>The next entry, or false when the queue is empty (the writer then flushes or sleeps).</summary>
    private bool TryTake(out Entry entry)
    {
        lock (_gate)
        {
            return _queue.TryDequeue(out entry);
        }
    }

    /// <summary>
    /// Sleeps until an entry arrives; false (at once) when the queue is empty and completed. A queue
    /// that grew in a burst gives its array back, so an idle connection does not keep its peak.
    /// </summary>
    private async ValueTask<bool> WaitForEntriesAsync()
    {
        lock (_gate)
        {
            if (_queue.Count > 0) return true;
            if (_completed) return false;
            if (_queue.EnsureCapacity(0) > IdleQueueCapacity) _queue.TrimExcess();
            _wakeup.Arm();
            _writerAsleep = true;
        }
        await _wakeup.WaitAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>No more writes; the loop drains what is queued and ends.</summary>
    public void Complete()
    {
        CompleteQueue();
        _closed = true;
        SignalSpace();
    }

    /// <summary>Writes queued stanzas in batches: one flush (one syscall) per burst, not per stanza.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            while (await WaitForEntriesAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pending = 0;
                while (TryTake(out var entry))
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
            CompleteQueue();
            _closed = true;
            while (TryTake(out var left))
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
