using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace XmppConf.Core.Addressing;

internal static class JidLimits
{
    /// <summary>RFC 7622 §3.1: each part is 1 to 1023 octets once prepared, in UTF-8.</summary>
    public const int MaxPartBytes = 1023;

    /// <summary>
    /// Input longer than this (UTF-16 units) is refused before any normalisation work: NFC cannot
    /// shrink it to 1023 UTF-8 bytes. Keeps a hostile stanza from buying megabytes of Unicode work.
    /// </summary>
    public const int MaxRawPartChars = 4 * MaxPartBytes;
}

/// <summary>Preparation of the localpart and resourcepart (RFC 7622 §3.3, §3.4).</summary>
internal static class JidParts
{
    public static bool TryPrepareLocalpart(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length > JidLimits.MaxRawPartChars) return false;
        if (!Precis.TryUsernameCaseMapped(input, out var prepared)) return false;

        // RFC 7622 §3.3.1: characters PRECIS allows but XMPP reserves in the localpart.
        if (prepared.AsSpan().IndexOfAny("\"&'/:<>@") >= 0) return false;
        if (!FitsLimit(prepared)) return false;
        output = prepared;
        return true;
    }

    public static bool TryPrepareResourcepart(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        if (input.Length > JidLimits.MaxRawPartChars) return false;
        if (!Precis.TryOpaqueString(input, out var prepared) || !FitsLimit(prepared)) return false;
        output = prepared;
        return true;
    }

    public static bool TryPrepareDomainpart(string input, [NotNullWhen(true)] out string? output)
    {
        output = null;
        return input.Length <= JidLimits.MaxRawPartChars && Domainpart.TryPrepare(input, out output);
    }

    // The ASCII case needs no encoder pass: one char is one byte.
    private static bool FitsLimit(string part) =>
        part.Length <= JidLimits.MaxPartBytes
        && (Ascii.IsValid(part) || Encoding.UTF8.GetByteCount(part) <= JidLimits.MaxPartBytes);
}
