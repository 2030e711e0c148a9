using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// Feeds a framer the way a PipeReader would: every read arrives as its own segment, bytes the framer leaves
/// unconsumed are offered again with the next read appended.
/// </summary>
internal sealed class FramerHarness
{
    private readonly List<byte[]> _pending = [];
    private int _firstOffset;

    public FramerHarness(FramerLimits? limits = null, XmlNameBudget? names = null)
    {
        Framer = new XmppStreamFramer(limits ?? new FramerLimits(), names);
    }

    public XmppStreamFramer Framer { get; }

    public List<XmppFrame> Frames { get; } = [];

    /// <summary>Total bytes handed to the framer so far.</summary>
    public long Fed { get; private set; }

    /// <summary>Bytes the framer has left unconsumed (held by the "pipe").</summary>
    public long Buffered { get; private set; }

    public long MaxBuffered { get; private set; }

    /// <summary>Most bytes the framer ever left unconsumed after a read: what it makes the connection hold.</summary>
    public long MaxLeftover { get; private set; }

    /// <summary>Delivers one read; frames complete so far are appended to <see cref="Frames"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        _pending.Add(bytes.ToArray());
        Fed += bytes.Length;
        var buffer = BuildSequence();
        var before = buffer.Length;
        MaxBuffered = Math.Max(MaxBuffered, before);
        try
        {
            while (Framer.TryReadFrame(ref buffer, out var frame))
            {
                Frames.Add(frame);
            }
            MaxLeftover = Math.Max(MaxLeftover, buffer.Length);
        }
        finally
        {
            Drop(before - buffer.Length);
            Buffered = buffer.Length;
        }
    }

    public void Feed(string text) => Feed(Encoding.UTF8.GetBytes(text));

    /// <summary>Runs <paramref name="input"/> through a fresh framer, cut at the given read sizes (the rest in one read).</summary>
    public static Outcome Run(byte[] input, IEnumerable<int> readSizes, FramerLimits? limits = null)
    {
        var harness = new FramerHarness(limits);
        var pos = 0;
        StreamErrorCondition? error = null;
        try
        {
            foreach (var size in readSizes)
            {
                if (pos >= input.Length)
                {
                    break;
                }
                var take = Math.Min(size, input.Length - pos);
                harness.Feed(input.AsSpan(pos, take));
                pos += take;
            }
            if (pos < input.Length)
            {
                harness.Feed(input.AsSpan(pos));
            }
        }
        catch (XmppStreamException ex)
        {
            error = ex.Condition;
        }
        return new Outcome(harness.Frames.Select(Describe).ToList(), error, error is null ? harness.Buffered : -1) { MaxLeftover = harness.MaxLeftover };
    }

    public static Outcome RunWhole(byte[] input, FramerLimits? limits = null) => Run(input, [input.Length], limits);

    public static Outcome RunByteByByte(byte[] input, FramerLimits? limits = null) =>
        Run(input, Enumerable.Repeat(1, input.Length), limits);

    /// <summary>Random read sizes from 0 (an empty segment) to <paramref name="maxRead"/>.</summary>
    public static Outcome RunRandom(byte[] input, int seed, int maxRead = 17, FramerLimits? limits = null)
    {
        var random = new Random(seed);
        return Run(input, Enumerable.Range(0, input.Length * 2).Select(_ => random.Next(0, maxRead + 1)), limits);
    }

    public static string Describe(XmppFrame frame) =>
        $"{frame.Kind}|{frame.ByteLength}|{frame.Element?.ToString(SaveOptions.DisableFormatting)}";

    private ReadOnlySequence<byte> BuildSequence()
    {
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < _pending.Count; i++)
        {
            var memory = i == 0 ? _pending[i].AsMemory(_firstOffset) : _pending[i].AsMemory();
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private void Drop(long consumed)
    {
        while (consumed > 0)
        {
            var available = _pending[0].Length - _firstOffset;
            if (consumed >= available)
            {
                consumed -= available;
                _pending.RemoveAt(0);
                _firstOffset = 0;
            }
            else
            {
                _firstOffset += (int)consumed;
                consumed = 0;
            }
        }
        while (_pending.Count > 0 && _pending[0].Length == _firstOffset)
        {
            _pending.RemoveAt(0);
            _firstOffset = 0;
        }
    }

    /// <summary>What a run produced: the frames, the error that ended it (if any), bytes left waiting.</summary>
    public sealed record Outcome(List<string> Frames, StreamErrorCondition? Error, long Leftover)
    {
        /// <summary>See <see cref="FramerHarness.MaxLeftover"/>; not part of the text compared between runs.</summary>
        public long MaxLeftover { get; init; }

        public override string ToString() =>
            $"error={Error?.ToString() ?? "none"} leftover={Leftover}\n" + string.Join("\n", Frames);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
