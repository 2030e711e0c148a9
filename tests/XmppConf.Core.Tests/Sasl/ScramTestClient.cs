using System.Security.Cryptography;
using System.Text;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

/// <summary>
/// A SCRAM client written from RFC 5802 §3 straight onto the framework primitives, independent of
/// the production key schedule, so the exchange is checked against a second implementation.
/// </summary>
internal sealed class ScramTestClient
{
    private readonly ScramHash _hash;
    private readonly string _password;
    private readonly string _gs2Header;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;

    public ScramTestClient(ScramHash hash, string username, string password, string? nonce = null, string gs2Header = "n,,")
    {
        _hash = hash;
        _password = password;
        _gs2Header = gs2Header;
        ClientNonce = nonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _clientFirstBare = "n=" + username.Replace("=", "=3D").Replace(",", "=2C") + ",r=" + ClientNonce;
    }

    public string ClientNonce { get; }

    public byte[] First() => Encoding.UTF8.GetBytes(_gs2Header + _clientFirstBare);

    public byte[] Final(byte[] serverFirstBytes, string? extension = null)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var attributes = serverFirst.Split(',').ToDictionary(a => a[..1], a => a[2..]);
        var nonce = attributes["r"];
        if (!nonce.StartsWith(ClientNonce, StringComparison.Ordinal)) throw new InvalidOperationException("server nonce lacks our prefix");
        var salt = Convert.FromBase64String(attributes["s"]);
        var iterations = int.Parse(attributes["i"], System.Globalization.CultureInfo.InvariantCulture);

        var withoutProof = "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)) + ",r=" + nonce + (extension is null ? "" : "," + extension);
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);

        var name = _hash == ScramHash.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var size = _hash == ScramHash.Sha1 ? 20 : 32;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, name, size);
        var clientKey = Hmac(salted, Encoding.ASCII.GetBytes("Client Key"));
        var storedKey = _hash == ScramHash.Sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = new byte[size];
        for (var i = 0; i < size; i++) proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        _expectedServerSignature = Hmac(Hmac(salted, Encoding.ASCII.GetBytes("Server Key")), authMessage);

        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    public bool VerifyServerFinal(byte[]? serverFinal) =>
        serverFinal is not null
        && Encoding.ASCII.GetString(serverFinal) == "v=" + Convert.ToBase64String(_expectedServerSignature!);

    private byte[] Hmac(byte[] key, byte[] data) =>
        _hash == ScramHash.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
}
