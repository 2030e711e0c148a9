using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace XmppConf.Core.Sasl;

/// <summary>The lexical pieces of RFC 5802 §7, read straight from the UTF-8 bytes.</summary>
internal static class ScramSyntax
{
    /// <summary>
    /// Takes the next attr-val ("x=value") up to the next comma or the end. The name must be an
    /// ASCII letter and the value non-empty, without NUL (RFC 5802 §7 "value").
    /// </summary>
    public static bool TryReadAttribute(ref ReadOnlySpan<byte> rest, out byte name, out ReadOnlySpan<byte> value)
    {
        name = 0;
        value = default;
        var comma = rest.IndexOf((byte)',');
        var field = comma < 0 ? rest : rest[..comma];
        rest = comma < 0 ? [] : rest[(comma + 1)..];
        if (comma >= 0 && rest.IsEmpty) return false; // a trailing comma starts an empty attribute

        if (field.Length < 3 || !IsAsciiLetter(field[0]) || field[1] != (byte)'=') return false;
        name = field[0];
        value = field[2..];
        return !value.Contains((byte)0);
    }

    /// <summary>RFC 5802 §5.1: a saslname with "=2C" for ',' and "=3D" for '='; any other '=' is an error.</summary>
    public static bool TryDecodeSaslName(ReadOnlySpan<byte> value, [NotNullWhen(true)] out string? name)
    {
        name = null;
        if (value.IsEmpty || value.Contains((byte)0)) return false;
        if (value.IndexOf((byte)'=') < 0)
        {
            name = Encoding.UTF8.GetString(value);
            return true;
        }

        var decoded = new byte[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != (byte)'=')
            {
                decoded[length++] = value[i];
                continue;
            }
            if (i + 2 >= value.Length) return false;
            if (value[i + 1] == (byte)'2' && value[i + 2] == (byte)'C')
            {
                decoded[length++] = (byte)',';
            }
            else if (value[i + 1] == (byte)'3' && value[i + 2] == (byte)'D')
            {
                decoded[length++] = (byte)'=';
            }
            else
            {
                return false;
            }
            i += 2;
        }
        name = Encoding.UTF8.GetString(decoded, 0, length);
        return true;
    }

    /// <summary>RFC 5802 §7 "printable": %x21-2B / %x2D-7E, at least one.</summary>
    public static bool IsPrintable(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (var b in value)
        {
            if (b is < 0x21 or > 0x7E or (byte)',') return false;
        }
        return true;
    }

    public static bool IsPrintable(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
        {
            if (c is < '\x21' or > '\x7E' or ',') return false;
        }
        return true;
    }

    /// <summary>
    /// Canonical base64 only: the alphabet, padding at the end, length a multiple of four. The
    /// framework decoders skip whitespace, which the SCRAM grammar does not allow.
    /// </summary>
    public static bool TryDecodeBase64(ReadOnlySpan<byte> value, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (value.IsEmpty || value.Length % 4 != 0) return false;
        var padding = value[^1] == (byte)'=' ? value[^2] == (byte)'=' ? 2 : 1 : 0;
        for (var i = 0; i < value.Length - padding; i++)
        {
            var b = value[i];
            if (!IsAsciiLetter(b) && b is not ((>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'/')) return false;
        }

        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(value.Length)];
        if (Base64.DecodeFromUtf8(value, buffer, out _, out var written) != System.Buffers.OperationStatus.Done) return false;
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    private static bool IsAsciiLetter(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z');
}
