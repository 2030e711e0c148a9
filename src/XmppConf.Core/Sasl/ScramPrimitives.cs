using System.Security.Cryptography;
using System.Text;

namespace XmppConf.Core.Sasl;

/// <summary>The SCRAM key schedule of RFC 5802 §3, for either hash.</summary>
internal static class ScramPrimitives
{
    private static readonly byte[] ClientKeyLabel = "Client Key"u8.ToArray();
    private static readonly byte[] ServerKeyLabel = "Server Key"u8.ToArray();

    public static int HashSize(ScramHash hash) => hash switch
    {
        ScramHash.Sha1 => SHA1.HashSizeInBytes,
        ScramHash.Sha256 => SHA256.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, null),
    };

    public static string MechanismName(ScramHash hash) => hash switch
    {
        ScramHash.Sha1 => "SCRAM-SHA-1",
        ScramHash.Sha256 => "SCRAM-SHA-256",
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, null),
    };

    public static byte[] Hmac(ScramHash hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => hash switch
    {
        ScramHash.Sha1 => HMACSHA1.HashData(key, data),
        ScramHash.Sha256 => HMACSHA256.HashData(key, data),
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, null),
    };

    public static byte[] Hash(ScramHash hash, ReadOnlySpan<byte> data) => hash switch
    {
        ScramHash.Sha1 => SHA1.HashData(data),
        ScramHash.Sha256 => SHA256.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, null),
    };

    /// <summary>StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    /// <param name="preparedPassword">Already SASLprep'd.</param>
    public static (byte[] StoredKey, byte[] ServerKey) DeriveKeys(ScramHash hash, string preparedPassword, ReadOnlySpan<byte> salt, int iterations)
    {
        var algorithm = hash == ScramHash.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var password = Encoding.UTF8.GetBytes(preparedPassword);
        Span<byte> salted = stackalloc byte[HashSize(hash)];
        try
        {
            // Hi() of RFC 5802 §2.2 is PBKDF2 with HMAC as the PRF and dkLen = hash size.
            Rfc2898DeriveBytes.Pbkdf2(password, salt, salted, iterations, algorithm);
            var clientKey = Hmac(hash, salted, ClientKeyLabel);
            var storedKey = Hash(hash, clientKey);
            CryptographicOperations.ZeroMemory(clientKey);
            return (storedKey, Hmac(hash, salted, ServerKeyLabel));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
            CryptographicOperations.ZeroMemory(password);
        }
    }
}
