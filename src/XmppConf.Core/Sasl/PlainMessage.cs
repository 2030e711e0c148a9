using System.Text;
using System.Text.Unicode;

namespace XmppConf.Core.Sasl;

/// <summary>The PLAIN mechanism's single message (RFC 4616 §2): [authzid] NUL authcid NUL passwd, in UTF-8.</summary>
public static class PlainMessage
{
    /// <summary>
    /// Splits and decodes the message. The authcid is SASLprep'd; the password is returned as sent
    /// (<see cref="ScramCredentials.VerifyPassword"/> prepares it). An empty authzid becomes null.
    /// Returns null on success, otherwise MalformedRequest.
    /// </summary>
    public static SaslFailure? TryParse(ReadOnlySpan<byte> message, out string? authzid, out string authcid, out string password)
    {
        authzid = null;
        authcid = string.Empty;
        password = string.Empty;

        var first = message.IndexOf((byte)0);
        if (first < 0) return SaslFailure.MalformedRequest;
        var afterFirst = message[(first + 1)..];
        var second = afterFirst.IndexOf((byte)0);
        if (second < 0) return SaslFailure.MalformedRequest;

        var authzidBytes = message[..first];
        var authcidBytes = afterFirst[..second];
        var passwordBytes = afterFirst[(second + 1)..];

        // Exactly two NULs, non-empty authcid and password, all valid UTF-8 (RFC 4616 §2).
        if (authcidBytes.IsEmpty || passwordBytes.IsEmpty || passwordBytes.Contains((byte)0)) return SaslFailure.MalformedRequest;
        if (!Utf8.IsValid(message)) return SaslFailure.MalformedRequest;
        if (!SaslPrep.TryPrepare(Encoding.UTF8.GetString(authcidBytes), out var preparedAuthcid)) return SaslFailure.MalformedRequest;

        authzid = authzidBytes.IsEmpty ? null : Encoding.UTF8.GetString(authzidBytes);
        authcid = preparedAuthcid;
        password = Encoding.UTF8.GetString(passwordBytes);
        return null;
    }
}
