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
}
