using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace XmppConf.Core.Addressing;

/// <summary>
/// The two PRECIS profiles XMPP needs (RFC 8265): UsernameCaseMapped for localparts and
/// OpaqueString for resourceparts and passwords. Each returns the input instance unchanged when
/// nothing needs mapping, and printable ASCII never reaches the normaliser.
/// </summary>
internal static class Precis
{
    /// <summary>
    /// RFC 8265 §3.3 UsernameCaseMapped: width mapping, lower-casing, NFC, then IdentifierClass.
    /// Lower-casing is .NET's invariant simple mapping plus U+0130's full mapping, which is what
    /// Unicode toLowerCase() gives except for the Final_Sigma context (Σ always becomes σ, as most
    /// XMPP servers do). The Bidi Rule (RFC 5893) is not applied.
    /// </summary>
    public static bool TryUsernameCaseMapped(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length == 0) return false;

        var hasUpper = false;
        var ascii = true;
        foreach (var c in input)
        {
            if (c is < '\x21' or > '\x7E')
            {
                ascii = false;
                break;
            }
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        if (ascii)
        {
            output = hasUpper ? AsciiLower(input) : input;
            return true;
        }

        var mapped = MapWidth(input);
        mapped = mapped.Contains('\u0130') ? mapped.Replace("\u0130", "i\u0307").ToLowerInvariant() : mapped.ToLowerInvariant();
        mapped = Nfc(mapped);
        if (mapped.Length == 0 || !PrecisCodePoints.IsValid(mapped, PrecisStringClass.Identifier)) return false;
        output = mapped;
        return true;
    }

    /// <summary>
    /// RFC 8265 §4.2 OpaqueString: non-ASCII spaces become U+0020, NFC, then FreeformClass.
    /// Case and width are preserved.
    /// </summary>
    public static bool TryOpaqueString(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length == 0) return false;

        var ascii = true;
        foreach (var c in input)
        {
            if (c is < '\x20' or > '\x7E')
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            output = input;
            return true;
        }

        var mapped = Nfc(MapNonAsciiSpaces(input));
        if (mapped.Length == 0 || !PrecisCodePoints.IsValid(mapped, PrecisStringClass.Freeform)) return false;
        output = mapped;
        return true;
    }

    internal static string AsciiLower(string input) =>
        string.Create(input.Length, input, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            }
        });

    // RFC 8264 §9.2 width mapping: fullwidth and halfwidth forms to their decompositions.
    private static string MapWidth(string input)
    {
        var first = -1;
        for (var i = 0; i < input.Length; i++)
        {
            if (IsWidthVariant(input[i]))
            {
                first = i;
                break;
            }
        }
        if (first < 0) return input;

        var sb = new StringBuilder(input.Length);
        sb.Append(input, 0, first);
        for (var i = first; i < input.Length; i++)
        {
            var c = input[i];
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                sb.Append((char)(c - 0xFEE0));
            }
            else if (IsWidthVariant(c))
            {
                sb.Append(c.ToString().Normalize(NormalizationForm.FormKC));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static bool IsWidthVariant(char c) => c is '\u3000' or (>= '\uFF01' and <= '\uFFEE');

    internal static string MapNonAsciiSpaces(string input)
    {
        char[]? copy = null;
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c > '\x7F' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator)
            {
                copy ??= input.ToCharArray();
                copy[i] = ' ';
            }
        }
        return copy is null ? input : new string(copy);
    }

    internal static string Nfc(string input)
    {
        // Lone surrogates make Normalize throw; PrecisCodePoints rejects them anyway.
        try
        {
            return input.IsNormalized(NormalizationForm.FormC) ? input : input.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return input;
        }
    }
}
