using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

[TestClass]
public sealed class ScramCredentialsTests
{
    [TestMethod]
    public void Derive_Rfc5802Example_GivesKnownKeys()
    {
        // Keys of the RFC 5802 §5 account (password "pencil"), as other implementations store them.
        var credentials = ScramCredentials.Derive(ScramHash.Sha1, "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);

        Assert.AreEqual("6dlGYMOdZcOPutkcNY8U2g7vK9Y=", Convert.ToBase64String(credentials.StoredKey));
        Assert.AreEqual("D+CSWLOshSulAsxiupA+qs2/fTE=", Convert.ToBase64String(credentials.ServerKey));
        Assert.AreEqual(4096, credentials.Iterations);
        Assert.AreEqual(ScramHash.Sha1, credentials.Hash);
    }

    [TestMethod]
    public void Derive_CopiesSalt()
    {
        var salt = new byte[] { 1, 2, 3, 4 };
        var credentials = ScramCredentials.Derive(ScramHash.Sha256, "pw", salt, 1);
        salt[0] = 9;

        Assert.AreEqual(1, credentials.Salt[0]);
    }

    [TestMethod]
    [DataRow(ScramHash.Sha1, 20)]
    [DataRow(ScramHash.Sha256, 32)]
    public void Create_RandomSalt_DiffersEachTime(ScramHash hash, int keySize)
    {
        var a = ScramCredentials.Create(hash, "pw", 4096);
        var b = ScramCredentials.Create(hash, "pw", 4096);

        Assert.AreEqual(16, a.Salt.Length);
        Assert.IsFalse(a.Salt.AsSpan().SequenceEqual(b.Salt));
        Assert.IsFalse(a.StoredKey.AsSpan().SequenceEqual(b.StoredKey));
        Assert.AreEqual(keySize, a.StoredKey.Length);
        Assert.AreEqual(keySize, a.ServerKey.Length);
    }

    [TestMethod]
    [DataRow(ScramHash.Sha1)]
    [DataRow(ScramHash.Sha256)]
    public void VerifyPassword_RightAndWrong(ScramHash hash)
    {
        var credentials = ScramCredentials.Create(hash, "correct horse", 4096);

        Assert.IsTrue(credentials.VerifyPassword("correct horse"));
        Assert.IsFalse(credentials.VerifyPassword("Correct horse"));
        Assert.IsFalse(credentials.VerifyPassword("correct horse "));
        Assert.IsFalse(credentials.VerifyPassword(""));
    }

    [TestMethod]
    public void VerifyPassword_NonAsciiSpaceAndDecomposedForms_MatchPreparedPassword()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pass\u00A0wörd", 4096);

        Assert.IsTrue(credentials.VerifyPassword("pass wörd"));
        Assert.IsTrue(credentials.VerifyPassword("pass\u2003wo\u0308rd"));
        Assert.IsFalse(credentials.VerifyPassword("pass word"));
    }

    [TestMethod]
    public void VerifyPassword_ProhibitedCharacter_False()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pw", 4096);

        Assert.IsFalse(credentials.VerifyPassword("pw\u0000"));
    }

    [TestMethod]
    public void Derive_ProhibitedPassword_Throws()
    {
        Assert.ThrowsException<ArgumentException>(() => ScramCredentials.Derive(ScramHash.Sha256, "bad\u0007", [1, 2, 3], 4096));
        Assert.ThrowsException<ArgumentException>(() => ScramCredentials.Derive(ScramHash.Sha256, "", [1, 2, 3], 4096));
    }

    [TestMethod]
    public void Derive_BadParameters_Throw()
    {
        Assert.ThrowsException<ArgumentException>(() => ScramCredentials.Derive(ScramHash.Sha256, "pw", [], 4096));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ScramCredentials.Derive(ScramHash.Sha256, "pw", [1], 0));
    }
}
