using System.Security.Cryptography;
using System.Text;

namespace XmppConf.Testing.Xmpp;

/// <summary>
/// Client side of SCRAM (RFC 5802; SHA-256 per RFC 7677), written from the RFC on purpose rather
/// than shared with the server, so a bug in one cannot hide in the other. No channel binding: the
/// GS2 header is "n,," (RFC 5802 §7: the client does not support it).
/// </summary>
public sealed class ScramClient
{
    private const string Gs2Header = "n,,";

    private readonly HashAlgorithmName _hash;
    private readonly int _hashLength;
    private readonly byte[] _password;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;

    public ScramClient(HashAlgorithmName hash, string user, string password, string? clientNonce = null)
    {
        _hash = hash;
        _hashLength = hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32
            : throw new ArgumentException($"Unsupported SCRAM hash {hash}.", nameof(hash));

        // RFC 7677 / RFC 8265: the password goes through the OpaqueString profile; for test
        // passwords that amounts to NFC normalisation.
        _password = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormC));
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _clientFirstBare = $"n={EscapeSaslName(user)},r={_clientNonce}";
    }

    public string ClientFirstMessage => Gs2Header + _clientFirstBare;

    /// <summary>Builds client-final-message from server-first-message (RFC 5802 §3, §5.1).</summary>
    /// <exception cref="XmppTestException">The server-first-message is malformed or its nonce is wrong.</exception>
    public string ClientFinalMessage(string serverFirst)
    {
        string? nonce = null, salt = null, iterationText = null;
        foreach (string part in serverFirst.Split(','))
        {
            if (part.Length < 2 || part[1] != '=')
            {
                throw new XmppTestException($"Malformed SCRAM server-first-message '{serverFirst}'.");
            }

            switch (part[0])
            {
                case 'm':
                    // RFC 5802 §5.1: a mandatory extension we do not know means we must fail.
                    throw new XmppTestException($"SCRAM server-first-message has a mandatory extension: '{serverFirst}'.");
                case 'r':
                    nonce = part[2..];
                    break;
                case 's':
                    salt = part[2..];
                    break;
                case 'i':
                    iterationText = part[2..];
                    break;
            }
        }

        if (nonce is null || salt is null || iterationText is null)
        {
            throw new XmppTestException($"SCRAM server-first-message lacks r, s or i: '{serverFirst}'.");
        }

        // RFC 5802 §5.1: the server's nonce must start with ours and add its own part.
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new XmppTestException($"SCRAM server nonce '{nonce}' does not extend the client nonce '{_clientNonce}'.");
        }

        if (!int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int iterations)
            || iterations < 1)
        {
            throw new XmppTestException($"SCRAM iteration count '{iterationText}' is not a positive integer.");
        }

        byte[] saltBytes;
        try
        {
            saltBytes = Convert.FromBase64String(salt);
        }
        catch (FormatException ex)
        {
            throw new XmppTestException($"SCRAM salt '{salt}' is not base64.", ex);
        }

        // "biws" is base64("n,,"): c= repeats the GS2 header (RFC 5802 §7).
        string withoutProof = $"c={Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header))},r={nonce}";
        byte[] authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");

        // RFC 5802 §3: SaltedPassword := Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC.
        byte[] saltedPassword = Rfc2898DeriveBytes.Pbkdf2(_password, saltBytes, iterations, _hash, _hashLength);
        byte[] clientKey = CryptographicOperations.HmacData(_hash, saltedPassword, "Client Key"u8);
        byte[] storedKey = CryptographicOperations.HashData(_hash, clientKey);
        byte[] clientSignature = CryptographicOperations.HmacData(_hash, storedKey, authMessage);
        byte[] proof = new byte[_hashLength];
        for (int i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        byte[] serverKey = CryptographicOperations.HmacData(_hash, saltedPassword, "Server Key"u8);
        _expectedServerSignature = CryptographicOperations.HmacData(_hash, serverKey, authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Checks server-final-message "v=…" (RFC 5802 §3: the client authenticates the server).</summary>
    /// <exception cref="XmppTestException">The server signature is missing or wrong, or the server sent e=.</exception>
    public void VerifyServerFinal(string serverFinal)
    {
        if (_expectedServerSignature is null)
        {
            throw new InvalidOperationException("Server-final-message before client-final-message.");
        }

        if (serverFinal.StartsWith("e=", StringComparison.Ordinal))
        {
            throw new XmppTestException($"SCRAM server-final-message reports an error: '{serverFinal}'.");
        }

        string? verifier = null;
        foreach (string part in serverFinal.Split(','))
        {
            if (part.StartsWith("v=", StringComparison.Ordinal))
            {
                verifier = part[2..];
            }
        }

        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(verifier ?? throw new XmppTestException($"SCRAM server-final-message lacks v=: '{serverFinal}'."));
        }
        catch (FormatException ex)
        {
            throw new XmppTestException($"SCRAM server signature '{verifier}' is not base64.", ex);
        }

        if (!CryptographicOperations.FixedTimeEquals(actual, _expectedServerSignature))
        {
            throw new XmppTestException(
                $"SCRAM server signature mismatch: got {verifier}, expected {Convert.ToBase64String(_expectedServerSignature)}.");
        }
    }

    // RFC 5802 §5.1: ',' and '=' in a saslname are written =2C and =3D.
    private static string EscapeSaslName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}
