using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppConf.Core.Addressing;

/// <summary>
/// RFC 7622 §3.2: prepares a domainpart into its canonical form: no trailing dot, lower case,
/// IDN labels as U-labels (so "xn--bcher-kva.example" and "BÜCHER.example" compare equal to
/// "bücher.example"), IPv6 literals in compressed form.
/// </summary>
internal static class Domainpart
{
    private const int MaxLabelLength = 63;

    public static bool TryPrepare(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length == 0) return false;
        if (input[0] == '[') return TryPrepareIpv6(input, out output);

        // RFC 7622 §3.2: a final label separator is stripped before comparison or routing.
        var text = input;
        if (IsLabelSeparator(text[^1])) text = text[..^1];
        if (text.Length == 0) return false;

        if (!TryAsciiFastPath(text, out output))
        {
            if (!TryIdnPath(text, out output)) return false;
        }

        if (IsAllDigitsAndDots(output) && !IsDottedQuad(output)) return false;
        return Encoding.UTF8.GetByteCount(output) <= JidLimits.MaxPartBytes;
    }

    // Plain LDH labels (the overwhelmingly common case) are validated without IdnMapping.
    private static bool TryAsciiFastPath(string text, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (text.Length > JidLimits.MaxPartBytes) return false;

        var hasUpper = false;
        var labelStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                var length = i - labelStart;
                if (length is 0 or > MaxLabelLength) return false;
                if (text[labelStart] == '-' || text[i - 1] == '-') return false;

                // "xn--" needs decoding and other "??--" labels are reserved (RFC 5891 §4.2.3.1):
                // let IdnMapping decide.
                if (length >= 4 && text[labelStart + 2] == '-' && text[labelStart + 3] == '-') return false;
                labelStart = i + 1;
                continue;
            }

            var c = text[i];
            if (char.IsAsciiLetterUpper(c))
            {
                hasUpper = true;
            }
            else if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        output = hasUpper ? text.ToLowerInvariant() : text;
        return true;
    }

    private static bool TryIdnPath(string text, [NotNullWhen(true)] out string? output)
    {
        output = null;

        // A crude bound before any Unicode work: the result could never fit 1023 bytes.
        if (text.Length > 4 * JidLimits.MaxPartBytes) return false;

        // UseStd3AsciiRules keeps labels to letters, digits and hyphens (NR-LDH labels and U-labels).
        // IdnMapping is not documented as thread-safe, so each call gets its own.
        var idn = new IdnMapping { UseStd3AsciiRules = true, AllowUnassigned = false };
        var sb = new StringBuilder(text.Length);
        var labelStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsLabelSeparator(text[i])) continue;
            if (i == labelStart) return false;

            // Label by label, because IdnMapping also caps the whole name at DNS's 255 octets
            // while RFC 7622 allows a 1023-byte domainpart.
            string ascii;
            string unicode;
            try
            {
                ascii = idn.GetAscii(text, labelStart, i - labelStart);
                unicode = idn.GetUnicode(ascii);
            }
            catch (ArgumentException)
            {
                return false;
            }

            // UTS #46 mapping can produce a dot (U+2488 "⒈" becomes "1.").
            if (ascii.Length > MaxLabelLength || ascii.Contains('.')) return false;

            // IdnMapping follows UTS #46, which lets through symbols such as U+2603 that IDNA2008
            // (RFC 5892) disallows; IdentifierClass is a close stand-in for its PVALID set.
            if (!PrecisCodePoints.IsValid(unicode, PrecisStringClass.Identifier)) return false;

            if (sb.Length > 0) sb.Append('.');
            sb.Append(unicode);
            labelStart = i + 1;
        }

        output = sb.ToString();
        return true;
    }

    // RFC 7622 §3.2: IPv6 literals are bracketed (RFC 3986 IP-literal); zone ids are not allowed.
    private static bool TryPrepareIpv6(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length < 4 || input[^1] != ']') return false;
        var inner = input.AsSpan(1, input.Length - 2);
        if (inner.Contains('%') || !inner.Contains(':')) return false;
        if (!IPAddress.TryParse(inner, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6) return false;

        var canonical = address.ToString();
        output = inner.SequenceEqual(canonical) ? input : string.Concat("[", canonical, "]");
        return true;
    }

    private static bool IsLabelSeparator(char c) => c is '.' or '\u3002' or '\uFF0E' or '\uFF61';

    private static bool IsAllDigitsAndDots(string text)
    {
        foreach (var c in text)
        {
            if (c != '.' && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    // A name made only of digits can only be an IPv4 literal: four decimal octets, no leading zeros.
    private static bool IsDottedQuad(string text)
    {
        var parts = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.') continue;
            var length = i - start;
            if (length is 0 or > 3) return false;
            if (length > 1 && text[start] == '0') return false;
            if (int.Parse(text.AsSpan(start, length), CultureInfo.InvariantCulture) > 255) return false;
            parts++;
            start = i + 1;
        }
        return parts == 4;
    }
}
