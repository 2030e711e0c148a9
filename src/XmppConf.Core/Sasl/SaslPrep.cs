using System.Diagnostics.CodeAnalysis;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Sasl;

/// <summary>
/// Prepares SASL user names and passwords. RFC 5802 names SASLprep (RFC 4013), which RFC 8265
/// replaces with the PRECIS OpaqueString profile; this is OpaqueString: non-ASCII spaces become
/// U+0020, NFC, and control, ignorable and unassigned code points are refused. Unlike RFC 4013 it
/// neither applies NFKC nor silently drops "mapped to nothing" characters (soft hyphen, ZWSP…),
/// so a client that does may derive a different key for such passwords.
/// </summary>
public static class SaslPrep
{
    /// <exception cref="ArgumentException">The text is empty or holds a prohibited code point.</exception>
    public static string Prepare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryPrepare(text, out var prepared)
            ? prepared
            : throw new ArgumentException("The string is empty or contains prohibited characters (RFC 8265 OpaqueString).", nameof(text));
    }

    public static bool TryPrepare(string? text, [NotNullWhen(true)] out string? prepared)
    {
        prepared = null;
        return text is not null && Precis.TryOpaqueString(text, out prepared);
    }
}
