namespace XmppConf.Storage.Abstractions;

/// <summary>
/// One SCRAM credential set for one hash function (RFC 5802 §3, RFC 7677). The server never
/// stores the password, only what SCRAM needs to verify a proof: salt, iteration count,
/// StoredKey and ServerKey. The server converts to and from its own credential type.
/// </summary>
/// <param name="Hash">IANA hash name as used in the SCRAM mechanism name, e.g. "SHA-1" or "SHA-256".</param>
public sealed record StoredScramKey(string Hash, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);
