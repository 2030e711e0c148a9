using System.Text;

namespace XmppConf.Load;

/// <summary>One framed element; <see cref="Bytes"/> is only valid until the next read on its connection.</summary>
internal readonly record struct Element(ElementKind Kind, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public bool StartsWith(ReadOnlySpan<byte> prefix) => Bytes.Span.StartsWith(prefix);
}
