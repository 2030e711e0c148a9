using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Security;

namespace XmppConf.Core.Tests.Security;

[TestClass]
public sealed class SecretHashTests
{
    [TestMethod]
    public void Hash_ThenVerify_AcceptsOnlyTheSecret()
    {
        var stored = SecretHash.Hash("s3cret-€");
        Assert.IsTrue(SecretHash.Verify(stored, "s3cret-€"));
        Assert.IsFalse(SecretHash.Verify(stored, "s3cret-e"));
        Assert.IsFalse(SecretHash.Verify(stored, ""));
        Assert.IsFalse(stored.Contains("s3cret"), "the secret never appears in the stored form");
        Assert.IsTrue(SecretHash.IsHash(stored));
    }

    [TestMethod]
    public void Hash_SameSecretTwice_DifferentSalts()
    {
        Assert.AreNotEqual(SecretHash.Hash("1234"), SecretHash.Hash("1234"));
    }

    [DataTestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("1234")]
    [DataRow("pbkdf2-sha256$10$AAAA$AAAA")]
    [DataRow("pbkdf2-sha256$10000$not base64$AAAA")]
    [DataRow("md5$10000$AAAA$AAAA")]
    public void Verify_MalformedStored_False(string? stored) => Assert.IsFalse(SecretHash.Verify(stored, "1234"));

    [TestMethod]
    public void Verify_UnicodeForms_Equal()
    {
        // NFC and NFD spellings of the same password match (users type them on different keyboards).
        var stored = SecretHash.Hash("caf\u00e9");
        Assert.IsTrue(SecretHash.Verify(stored, "cafe\u0301"));
    }
}
