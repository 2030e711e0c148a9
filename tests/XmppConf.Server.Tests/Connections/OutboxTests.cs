using System.IO.Pipelines;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Connections;

namespace XmppConf.Server.Tests.Connections;

[TestClass]
public sealed class OutboxTests
{
    [TestMethod]
    public void TryEnqueue_BeyondBound_RefusedAndFlagged()
    {
        var outbox = new Outbox(maxQueuedBytes: 100);
        Assert.IsTrue(outbox.TryEnqueue(new byte[60]));
        Assert.IsFalse(outbox.Overflowed);
        Assert.IsFalse(outbox.TryEnqueue(new byte[60]));
        Assert.IsTrue(outbox.Overflowed);
        Assert.AreEqual(60, outbox.QueuedBytes);
    }

    [TestMethod, Timeout(10_000)]
    public async Task RunWriter_WritesInOrderAndDrainsOnComplete()
    {
        var outbox = new Outbox(1024);
        var pipe = new Pipe();
        outbox.TryEnqueue("<a/>"u8.ToArray());
        outbox.TryEnqueue("<b/>"u8.ToArray());
        outbox.Complete();
        Assert.IsFalse(outbox.TryEnqueue("<c/>"u8.ToArray()), "closed outbox refuses writes");
        await outbox.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        while (!read.IsCompleted)
        {
            pipe.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await pipe.Reader.ReadAsync();
        }
        Assert.AreEqual("<a/><b/>", System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer)));
        Assert.AreEqual(0, outbox.QueuedBytes);
    }

    [TestMethod, Timeout(10_000)]
    public async Task WaitForSpace_QueueFull_CompletesOnceTheWriterFlushes()
    {
        var outbox = new Outbox(100);
        Assert.IsTrue(outbox.TryEnqueue(new byte[80]));
        var waiting = outbox.WaitForSpaceAsync(50, CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.IsFalse(waiting.IsCompleted, "no room until the writer takes the queued bytes");
        var pipe = new Pipe();
        var writer = outbox.RunWriterAsync(pipe.Writer, CancellationToken.None);
        Assert.IsTrue(await waiting);
        Assert.IsTrue(outbox.TryEnqueue(new byte[50]), "the room waited for is there");
        outbox.Complete();
        await writer;
    }

    [TestMethod, Timeout(10_000)]
    public async Task WaitForSpace_ClosedOrNeverFits_False()
    {
        var outbox = new Outbox(100);
        Assert.IsFalse(await outbox.WaitForSpaceAsync(101, CancellationToken.None), "larger than the bound never fits");
        Assert.IsTrue(outbox.TryEnqueue(new byte[80]));
        var waiting = outbox.WaitForSpaceAsync(50, CancellationToken.None).AsTask();
        outbox.Complete();
        Assert.IsFalse(await waiting, "a closed outbox takes nothing more");
    }

    [TestMethod, Timeout(10_000)]
    public async Task WhenFlushed_AfterWrites_TrueOnlyOnceTheBytesReachedThePipe()
    {
        var outbox = new Outbox(1024);
        var pipe = new Pipe();
        outbox.TryEnqueue("<a/>"u8.ToArray());
        var flushed = outbox.WhenFlushedAsync();
        Assert.IsFalse(flushed.IsCompleted, "nothing is flushed before the writer runs");
        var writer = outbox.RunWriterAsync(pipe.Writer, CancellationToken.None);
        Assert.IsTrue(await flushed);
        var read = await pipe.Reader.ReadAsync();
        Assert.AreEqual("<a/>", System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer)));
        pipe.Reader.AdvanceTo(read.Buffer.End);
        outbox.Complete();
        await writer;
    }

    [TestMethod, Timeout(10_000)]
    public async Task WhenFlushed_TransportGone_False()
    {
        var outbox = new Outbox(1024);
        var pipe = new Pipe();
        await pipe.Reader.CompleteAsync();
        outbox.TryEnqueue("<a/>"u8.ToArray());
        var flushed = outbox.WhenFlushedAsync();
        await outbox.RunWriterAsync(pipe.Writer, CancellationToken.None);
        Assert.IsFalse(await flushed, "the peer never got the bytes");
        Assert.IsFalse(await outbox.WhenFlushedAsync(), "a stopped writer answers no");
    }
}
