using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

[TestClass]
public sealed class ScramServerExchangeTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    [TestMethod]
    public void Exchange_Rfc5802Example_ReproducesServerMessages()
    {
        var credentials = ScramCredentials.Derive(ScramHash.Sha1, "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);
        var exchange = new ScramServerExchange(ScramHash.Sha1, () => "3rfcNHYJY1ZVvWVs7j");

        Assert.IsNull(exchange.ReadClientFirst(B("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")));
        Assert.AreEqual("user", exchange.Username);
        Assert.IsNull(exchange.Authzid);
        Assert.AreEqual("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", S(exchange.WriteServerFirst(credentials)));
        Assert.IsNull(exchange.ReadClientFinal(B("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")));
        Assert.AreEqual("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", S(exchange.ServerFinal));
    }

    [TestMethod]
    public void Exchange_Rfc7677Example_ReproducesServerMessages()
    {
        var credentials = ScramCredentials.Derive(ScramHash.Sha256, "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var exchange = new ScramServerExchange(ScramHash.Sha256, () => "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        Assert.IsNull(exchange.ReadClientFirst(B("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        Assert.AreEqual("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", S(exchange.WriteServerFirst(credentials)));
        Assert.IsNull(exchange.ReadClientFinal(B("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        Assert.AreEqual("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", S(exchange.ServerFinal));
    }

    [TestMethod]
    [DataRow(ScramHash.Sha1, "SCRAM-SHA-1")]
    [DataRow(ScramHash.Sha256, "SCRAM-SHA-256")]
    public void MechanismName_PerHash(ScramHash hash, string expected)
    {
        Assert.AreEqual(expected, new ScramServerExchange(hash).MechanismName);
    }

    [TestMethod]
    [DataRow(ScramHash.Sha1, "n,,", null)]
    [DataRow(ScramHash.Sha256, "n,,", null)]
    [DataRow(ScramHash.Sha256, "y,,", null)]
    [DataRow(ScramHash.Sha256, "n,a=juliet@example.com,", "juliet@example.com")]
    [DataRow(ScramHash.Sha256, "n,a=we=2Cird=3Dname,", "we,ird=name")]
    public void Exchange_SimulatedClient_Authenticates(ScramHash hash, string gs2Header, string? authzid)
    {
        var credentials = ScramCredentials.Create(hash, "correct horse", 4096);
        var client = new ScramTestClient(hash, "juliet", "correct horse", gs2Header: gs2Header);
        var exchange = new ScramServerExchange(hash);

        Assert.IsNull(exchange.ReadClientFirst(client.First()));
        Assert.AreEqual(authzid, exchange.Authzid);
        var serverFirst = exchange.WriteServerFirst(credentials);
        Assert.IsNull(exchange.ReadClientFinal(client.Final(serverFirst)));
        Assert.IsTrue(client.VerifyServerFinal(exchange.ServerFinal), S(exchange.ServerFinal));
    }

    [TestMethod]
    public void Exchange_NonAsciiPassword_ClientUsingPreparedFormAuthenticates()
    {
        // The server prepares "pass\u00A0wörd" to "pass wörd"; a client that SASLprep'd sends the same.
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pass\u00A0wo\u0308rd", 4096);
        var client = new ScramTestClient(ScramHash.Sha256, "juliet", "pass wörd");
        var exchange = new ScramServerExchange(ScramHash.Sha256);

        Assert.IsNull(exchange.ReadClientFirst(client.First()));
        Assert.IsNull(exchange.ReadClientFinal(client.Final(exchange.WriteServerFirst(credentials))));
    }

    [TestMethod]
    public void Exchange_ServerNonce_IsRandomAndPrefixedByClientNonce()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pw", 4096);
        var nonces = new HashSet<string>();
        for (var i = 0; i < 2; i++)
        {
            var exchange = new ScramServerExchange(ScramHash.Sha256);
            exchange.ReadClientFirst(B("n,,n=juliet,r=abc"));
            var r = S(exchange.WriteServerFirst(credentials)).Split(',')[0];
            Assert.IsTrue(r.StartsWith("r=abc", StringComparison.Ordinal) && r.Length > "r=abc".Length + 16, r);
            nonces.Add(r);
        }
        Assert.AreEqual(2, nonces.Count);
    }

    [TestMethod]
    [DataRow(ScramHash.Sha1)]
    [DataRow(ScramHash.Sha256)]
    public void Exchange_WrongPassword_NotAuthorized(ScramHash hash)
    {
        var credentials = ScramCredentials.Create(hash, "correct horse", 4096);
        var client = new ScramTestClient(hash, "juliet", "battery staple");
        var exchange = new ScramServerExchange(hash);

        exchange.ReadClientFirst(client.First());
        var failure = exchange.ReadClientFinal(client.Final(exchange.WriteServerFirst(credentials)));

        Assert.AreEqual(SaslFailure.NotAuthorized, failure);
        Assert.IsNull(exchange.ServerFinal);
    }

    [TestMethod]
    public void Exchange_TamperedProof_NotAuthorized()
    {
        var (exchange, final) = StartRfc5802Exchange();
        var text = S(final);
        var proofAt = text.IndexOf(",p=", StringComparison.Ordinal) + 3;
        var proof = Convert.FromBase64String(text[proofAt..]);
        proof[0] ^= 0x01;

        var failure = exchange.ReadClientFinal(B(text[..proofAt] + Convert.ToBase64String(proof)));

        Assert.AreEqual(SaslFailure.NotAuthorized, failure);
        Assert.IsNull(exchange.ServerFinal);
    }

    [TestMethod]
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7J,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")] // last nonce char changed
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]                   // client part only
    [DataRow("c=biws,r=Xyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")] // wrong client prefix
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7jX,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]
    public void ReadClientFinal_TamperedNonce_MalformedRequest(string final)
    {
        var (exchange, _) = StartRfc5802Exchange();

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFinal(B(final)));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j")]                                        // no proof
    [DataRow("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]                 // no c=
    [DataRow("c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]                                                       // no r=
    [DataRow("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]          // order
    [DataRow("c=eSws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]          // y,, but we saw n,,
    [DataRow("c=cD10bHMtdW5pcXVlLCx4eHg=,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")] // p=tls-unique,,xxx
    [DataRow("c=bi ws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]         // whitespace in base64
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts")]           // unpadded
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=!0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]          // not base64
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")] // 32-byte proof for SHA-1
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=,x=1")]      // attribute after proof
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=AAAA,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]   // two proofs
    [DataRow("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")]         // empty attribute
    public void ReadClientFinal_Malformed_MalformedRequest(string final)
    {
        var (exchange, _) = StartRfc5802Exchange();

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFinal(B(final)));
    }

    [TestMethod]
    public void ReadClientFinal_SignedExtension_IsAccepted()
    {
        // RFC 5802 §7 allows extensions between nonce and proof; they are part of AuthMessage.
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pw", 4096);
        var client = new ScramTestClient(ScramHash.Sha256, "juliet", "pw");
        var exchange = new ScramServerExchange(ScramHash.Sha256);
        exchange.ReadClientFirst(client.First());

        var final = client.Final(exchange.WriteServerFirst(credentials), extension: "x=ext");

        Assert.IsNull(exchange.ReadClientFinal(final));
        Assert.IsTrue(client.VerifyServerFinal(exchange.ServerFinal));
    }

    [TestMethod]
    public void ReadClientFinal_ExtensionInsertedAfterSigning_NotAuthorized()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pw", 4096);
        var client = new ScramTestClient(ScramHash.Sha256, "juliet", "pw");
        var exchange = new ScramServerExchange(ScramHash.Sha256);
        exchange.ReadClientFirst(client.First());
        var final = S(client.Final(exchange.WriteServerFirst(credentials)));

        var tampered = final.Replace(",p=", ",x=ext,p=", StringComparison.Ordinal);

        Assert.AreEqual(SaslFailure.NotAuthorized, exchange.ReadClientFinal(B(tampered)));
    }

    [TestMethod]
    public void ReadClientFinal_InvalidUtf8_MalformedRequest()
    {
        var (exchange, final) = StartRfc5802Exchange();
        final[^1] = 0xFF;

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFinal(final));
    }

    [TestMethod]
    [DataRow("n,,n=user=2Cname,r=abc", "user,name")]
    [DataRow("n,,n=a=3Db,r=abc", "a=b")]
    [DataRow("n,,n=Juliet,r=abc", "Juliet")]
    [DataRow("n,,n=ju\u00A0liet,r=abc", "ju liet")]
    [DataRow("n,,n=user,r=abc,x=ext", "user")]
    public void ReadClientFirst_Valid_ExposesDecodedUsername(string first, string username)
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256);

        Assert.IsNull(exchange.ReadClientFirst(B(first)));
        Assert.AreEqual(username, exchange.Username);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("n,,")]
    [DataRow("n,")]
    [DataRow("x,,n=user,r=abc")]             // unknown cbind flag
    [DataRow("p=tls-unique,,n=user,r=abc")]  // channel binding we do not offer
    [DataRow("n,n=user,r=abc")]              // missing authzid comma
    [DataRow("n,b=x,n=user,r=abc")]          // not "a="
    [DataRow("n,a=,n=user,r=abc")]           // empty authzid
    [DataRow("n,a=ju\u0000liet,n=user,r=abc")] // NUL in authzid
    [DataRow("n,,m=ext,n=user,r=abc")]       // reserved mandatory extension
    [DataRow("n,,r=abc,n=user")]             // wrong order
    [DataRow("n,,n=user")]                   // no nonce
    [DataRow("n,,n=user,r=")]                // empty nonce
    [DataRow("n,,n=user,r=a\u00E9c")]        // non-printable nonce
    [DataRow("n,,n=,r=abc")]                 // empty username
    [DataRow("n,,n=us=2Der,r=abc")]          // bad escape
    [DataRow("n,,n=user=,r=abc")]            // truncated escape
    [DataRow("n,,n=us\u0007er,r=abc")]       // SASLprep: control character
    [DataRow("n,,n=user,r=abc,")]            // trailing comma
    [DataRow("n,,n=user,r=abc,1=x")]         // extension name not a letter
    [DataRow("n,,N=user,r=abc")]             // attribute names are case-sensitive
    public void ReadClientFirst_Malformed_MalformedRequest(string first)
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256);

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFirst(B(first)));
    }

    [TestMethod]
    public void ReadClientFirst_InvalidUtf8_MalformedRequest()
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256);
        byte[] first = [.. B("n,,n=us"), 0xC3, 0x28, .. B(",r=abc")];

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFirst(first));
    }

    [TestMethod]
    public void UnknownUser_ServerFirstLooksNormalAndIsStable_FinalFails()
    {
        var secret = new byte[32];
        string ServerFirstFor(string user)
        {
            var exchange = new ScramServerExchange(ScramHash.Sha256, unknownUserSecret: secret, unknownUserIterations: 4096);
            exchange.ReadClientFirst(B($"n,,n={user},r=abc"));
            return S(exchange.WriteServerFirst(null));
        }

        var first = ServerFirstFor("ghost").Split(',');
        var again = ServerFirstFor("ghost").Split(',');
        var other = ServerFirstFor("phantom").Split(',');

        Assert.AreEqual(3, first.Length);
        Assert.IsTrue(first[0].StartsWith("r=abc", StringComparison.Ordinal));
        Assert.AreEqual(16, Convert.FromBase64String(first[1][2..]).Length);
        Assert.AreEqual("i=4096", first[2]);
        Assert.AreEqual(first[1], again[1], "same user, same salt");
        Assert.AreNotEqual(first[0], again[0], "but a fresh nonce");
        Assert.AreNotEqual(first[1], other[1], "another user, another salt");
    }

    [TestMethod]
    public void UnknownUser_AnyPassword_NotAuthorized()
    {
        var client = new ScramTestClient(ScramHash.Sha256, "ghost", "whatever");
        var exchange = new ScramServerExchange(ScramHash.Sha256);

        Assert.IsNull(exchange.ReadClientFirst(client.First()));
        var serverFirst = exchange.WriteServerFirst(null);

        Assert.AreEqual(SaslFailure.NotAuthorized, exchange.ReadClientFinal(client.Final(serverFirst)));
        Assert.IsNull(exchange.ServerFinal);
    }

    [TestMethod]
    public void UnknownUser_DefaultSecret_StableWithinProcess()
    {
        string SaltFor(string user)
        {
            var exchange = new ScramServerExchange(ScramHash.Sha1);
            exchange.ReadClientFirst(B($"n,,n={user},r=abc"));
            return S(exchange.WriteServerFirst(null)).Split(',')[1];
        }

        Assert.AreEqual(SaltFor("ghost"), SaltFor("ghost"));
    }

    [TestMethod]
    public void Steps_OutOfOrder_Throw()
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256);
        Assert.ThrowsException<InvalidOperationException>(() => exchange.WriteServerFirst(null));
        Assert.ThrowsException<InvalidOperationException>(() => exchange.ReadClientFinal(B("c=biws")));

        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFirst(B("garbage")));
        Assert.ThrowsException<InvalidOperationException>(() => exchange.ReadClientFirst(B("n,,n=user,r=abc")), "a failed exchange is over");
    }

    [TestMethod]
    public void ReadClientFinal_AfterFailure_Throws()
    {
        var (exchange, final) = StartRfc5802Exchange();
        Assert.AreEqual(SaslFailure.MalformedRequest, exchange.ReadClientFinal(B("c=biws")));

        Assert.ThrowsException<InvalidOperationException>(() => exchange.ReadClientFinal(final));
    }

    [TestMethod]
    public void WriteServerFirst_CredentialsForOtherHash_Throws()
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256);
        exchange.ReadClientFirst(B("n,,n=user,r=abc"));

        Assert.ThrowsException<ArgumentException>(() => exchange.WriteServerFirst(ScramCredentials.Create(ScramHash.Sha1, "pw", 4096)));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("a,b")]
    [DataRow("caf\u00E9")]
    public void WriteServerFirst_BadNonceFactory_Throws(string nonce)
    {
        var exchange = new ScramServerExchange(ScramHash.Sha256, () => nonce);
        exchange.ReadClientFirst(B("n,,n=user,r=abc"));

        Assert.ThrowsException<InvalidOperationException>(() => exchange.WriteServerFirst(null));
    }

    // The RFC 5802 §5 exchange up to step 3, and its genuine client-final-message.
    private static (ScramServerExchange Exchange, byte[] Final) StartRfc5802Exchange()
    {
        var credentials = ScramCredentials.Derive(ScramHash.Sha1, "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);
        var exchange = new ScramServerExchange(ScramHash.Sha1, () => "3rfcNHYJY1ZVvWVs7j");
        Assert.IsNull(exchange.ReadClientFirst(B("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")));
        exchange.WriteServerFirst(credentials);
        return (exchange, B("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
    }
}
