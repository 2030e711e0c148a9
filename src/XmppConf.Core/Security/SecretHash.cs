using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace XmppConf.Core.Security;

/// <summary>
/// Salted PBKDF2-SHA256 hashes for shared secrets that are checked but never shown again: room
/// passwords and PINs. Format: <c>pbkdf2-sha256$iterations$salt$hash</c> (base64), so the cost
/// can be raised later without breaking stored values.
/// </summary>
public static class SecretHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Enough to make offline guessing of short PINs slow, cheap enough to check on every room entry (~2–3 ms).</summary>
    public const int DefaultIterations = 10_000;

    public static string Hash(string secret, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1000);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(secret, salt, iterations);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored hash; false for malformed hashes.</summary>
    public static bool Verify(string? stored, string? secret)
    {
        if (string.IsNullOrEmpty(stored) || secret is null) return false;
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1000 || iterations > 10_000_000) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (expected.Length != HashBytes) return false;
        return CryptographicOperations.FixedTimeEquals(Derive(secret, salt, iterations), expected);
    }

    /// <summary>True when <paramref name="stored"/> looks like a value this class produced.</summary>
    public static bool IsHash(string? stored) => stored is not null && stored.StartsWith(Scheme + "$", StringComparison.Ordinal);

    private static byte[] Derive(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret.Normalize(NormalizationForm.FormC)), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
