using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace XmppConf.Load;

/// <summary>The client side of SCRAM-SHA-1 (RFC 5802 §3, §5), without channel binding ("n,,").</summary>
internal sealed class ScramSha1Client
{
    // PBKDF2 dominates the client's CPU per login; repeated logins of one account reuse it.
    private static readonly ConcurrentDictionary<string, byte[]> SaltedPasswords = new();

    private readonly string _password;
    private readonly string _clientFirstBare;
    private readonly string _clientNonce;
    private byte[] _serverSignature = [];

    public ScramSha1Client(string user, string password)
    {
        _password = password;
        _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        // RFC 5802 §5.1: '=' and ',' in the name are escaped.
        _clientFirstBare = $"n={user.Replace("=", "=3D").Replace(",", "=2C")},r={_clientNonce}";
    }

    /// <summary>Base64 of the client-first-message.</summary>
    public string ClientFirst() => Convert.ToBase64String(Encoding.UTF8.GetBytes("n,," + _clientFirstBare));

    /// <summary>Base64 of the client-final-message for the base64 server-first-message.</summary>
    public string ClientFinal(string serverFirstBase64)
    {
        var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String(serverFirstBase64));
        string? nonce = null, salt = null;
        var iterations = 0;
        foreach (var part in serverFirst.Split(','))
        {
            if (part.StartsWith("r=", StringComparison.Ordinal)) nonce = part[2..];
            else if (part.StartsWith("s=", StringComparison.Ordinal)) salt = part[2..];
            else if (part.StartsWith("i=", StringComparison.Ordinal)) iterations = int.Parse(part[2..], System.Globalization.CultureInfo.InvariantCulture);
        }
        if (nonce is null || salt is null || iterations <= 0 || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
            throw new LoadException("Malformed SCRAM server-first-message: " + serverFirst);

        var salted = SaltedPasswords.GetOrAdd(salt + ":" + iterations, _ => Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(_password), Convert.FromBase64String(salt), iterations, HashAlgorithmName.SHA1, 20));
        var clientKey = HMACSHA1.HashData(salted, "Client Key"u8);
        var storedKey = SHA1.HashData(clientKey);
        var withoutProof = "c=biws,r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        var signature = HMACSHA1.HashData(storedKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++) clientKey[i] ^= signature[i];
        _serverSignature = HMACSHA1.HashData(HMACSHA1.HashData(salted, "Server Key"u8), authMessage);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(clientKey)));
    }

    /// <summary>RFC 5802 §3: the client checks the server signature, so a fake server is noticed.</summary>
    public bool VerifyServerFinal(string serverFinalBase64)
    {
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(serverFinalBase64));
        return text == "v=" + Convert.ToBase64String(_serverSignature);
    }
}
