using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace XmppConf.Core.Xml;

/// <summary>
/// Buffered UTF-8 writes into an <see cref="IBufferWriter{T}"/>: asks it for a span only when the current
/// one is full, so small writes (a '&lt;', a name) cost no interface call each. Call <see cref="Flush"/> last.
/// </summary>
internal ref struct Utf8Output
{
    private const int MinimumChunk = 512;
    private const int MaxCharsPerChunk = 4096;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _used;

    public Utf8Output(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = default;
        _used = 0;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _used += bytes.Length;
    }

    public void Write(byte b)
    {
        Reserve(1)[0] = b;
        _used++;
    }

    /// <summary>Encodes UTF-16 text; a lone surrogate cannot be sent and throws <see cref="ArgumentException"/>.</summary>
    public void Write(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            var take = Math.Min(chars.Length, MaxCharsPerChunk);
            var destination = Reserve(take * 3);
            var status = Utf8.FromUtf16(chars[..take], destination, out var read, out var written,
                replaceInvalidSequences: false, isFinalBlock: take == chars.Length);
            _used += written;
            if (status == OperationStatus.InvalidData || read == 0)
            {
                throw new ArgumentException("The text contains a lone surrogate, which UTF-8 cannot carry.");
            }
            chars = chars[read..];
        }
    }

    /// <summary>Writes a name XLinq has already validated.</summary>
    public void WriteName(string name)
    {
        // Reserve first: it may flush and reset _used, which "_used += …(Reserve(…))" would read before.
        var destination = Reserve(Encoding.UTF8.GetMaxByteCount(name.Length));
        _used += Encoding.UTF8.GetBytes(name, destination);
    }

    public void Flush()
    {
        if (_used > 0)
        {
            _writer.Advance(_used);
        }
        _span = default;
        _used = 0;
    }

    private Span<byte> Reserve(int length)
    {
        if (_span.Length - _used < length)
        {
            Flush();
            _span = _writer.GetSpan(Math.Max(length, MinimumChunk));
        }
        return _span[_used..];
    }
}
