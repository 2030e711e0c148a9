using System.Security.Cryptography;

namespace XmppConf.Core.Sasl;

/// <summary>
/// What the server stores for a SCRAM account (RFC 5802 §3): never the password itself, only the
/// salt, iteration count and the two derived keys.
/// </summary>
public sealed record ScramCredentials(ScramHash Hash, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    /// <summary>Derives the keys from a password, which is SASLprep'd first.</summary>
    /// <exception cref="ArgumentException">The password is prohibited by SASLprep, or the salt is empty.</exception>
    public static ScramCredentials Derive(ScramHash hash, string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (salt.Length == 0) throw new ArgumentException("The salt must not be empty.", nameof(salt));

        var (storedKey, serverKey) = ScramPrimitives.DeriveKeys(hash, SaslPrep.Prepare(password), salt, iterations);
        return new ScramCredentials(hash, (byte[])salt.Clone(), iterations, storedKey, serverKey);
    }

    /// <summary>Derives the keys with a fresh random 16-byte salt.</summary>
    public static ScramCredentials Create(ScramHash hash, string password, int iterations) =>
        Derive(hash, password, RandomNumberGenerator.GetBytes(16), iterations);

    /// <summary>
    /// For mechanisms that carry the password itself (PLAIN): re-derives with the stored salt and
    /// iteration count and compares StoredKey in constant time.
    /// </summary>
    public bool VerifyPassword(string password)
    {
        if (!SaslPrep.TryPrepare(password, out var prepared)) return false;
        var (storedKey, serverKey) = ScramPrimitives.DeriveKeys(Hash, prepared, Salt, Iterations);
        CryptographicOperations.ZeroMemory(serverKey);
        return CryptographicOperations.FixedTimeEquals(storedKey, StoredKey);
    }
}
