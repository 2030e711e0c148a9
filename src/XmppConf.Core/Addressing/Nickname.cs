using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace XmppConf.Core.Addressing;

/// <summary>
/// The PRECIS Nickname profile (RFC 8266), which XEP-0045 §7.2 names for room nicknames:
/// enforcement maps non-ASCII spaces to U+0020, trims and collapses spaces, applies NFKC and
/// requires FreeformClass (no controls, no unassigned or disallowed code points) and a
/// non-empty result; comparison additionally lower-cases, so "Bob" and "BOB" are one nickname.
/// Shares Core's PRECIS tables with the JID code (<see cref="Precis"/>, <see cref="PrecisCodePoints"/>);
/// like them, it does not apply the Bidi Rule.
/// </summary>
public static class Nickname
{
    /// <summary>RFC 8266 §2.3 enforcement: the nickname to show and store, or false when it cannot be one.</summary>
    public static bool TryEnforce(string input, [NotNullWhen(true)] out string? output)
    {
        ArgumentNullException.ThrowIfNull(input);
        output = null;
        if (input.Length == 0 || input.Length > JidLimits.MaxRawPartChars) return false;

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
            output = TrimAndCollapseSpaces(input);
            return output.Length > 0;
        }

        // §2.1: additional mapping, then NFKC. NFKC can itself produce spaces (U+00A8 → " ̈"),
        // so map again until nothing changes: enforcement must be idempotent (RFC 8264 §7).
        var text = input;
        for (var round = 0; round < 3; round++)
        {
            var mapped = Nfkc(TrimAndCollapseSpaces(Precis.MapNonAsciiSpaces(text)));
            if (string.Equals(mapped, text, StringComparison.Ordinal))
            {
                if (text.Length == 0 || !PrecisCodePoints.IsValid(text, PrecisStringClass.Freeform)) return false;
                output = text;
                return true;
            }
            text = mapped;
        }
        return false;
    }

    /// <summary>
    /// RFC 8266 §2.4 comparison key: the enforced nickname, lower-cased (as Core's
    /// UsernameCaseMapped does) and NFKC-normalised. Two nicknames are the same when their keys are equal.
    /// </summary>
    public static bool TryComparisonKey(string input, [NotNullWhen(true)] out string? key)
    {
        key = null;
        if (!TryEnforce(input, out var enforced)) return false;
        if (Ascii.IsValid(enforced))
        {
            key = Precis.AsciiLower(enforced);
            return true;
        }
        var lower = enforced.Contains('\u0130') ? enforced.Replace("\u0130", "i\u0307").ToLowerInvariant() : enforced.ToLowerInvariant();
        key = Nfkc(lower);
        return true;
    }

    /// <summary>The comparison key, or the input itself when it is no nickname (so lookups simply miss).</summary>
    public static string ComparisonKey(string input) => TryComparisonKey(input, out var key) ? key : input;

    /// <summary>Length in Unicode code points (what Muc:MaxNickLength counts).</summary>
    public static int CodePointCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    // RFC 8266 §2.1 additional mapping rule, for U+0020 only (other spaces are mapped before).
    private static string TrimAndCollapseSpaces(string input)
    {
        var trimmed = input.AsSpan().Trim(' ');
        if (trimmed.IndexOf("  ") < 0) return trimmed.Length == input.Length ? input : trimmed.ToString();
        var sb = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ' && previousSpace) continue;
            previousSpace = c == ' ';
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Nfkc(string input)
    {
        // Lone surrogates make Normalize throw; PrecisCodePoints rejects them anyway.
        try
        {
            return input.IsNormalized(NormalizationForm.FormKC) ? input : input.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return input;
        }
    }
}
