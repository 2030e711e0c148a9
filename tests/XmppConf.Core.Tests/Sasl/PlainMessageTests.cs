using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

[TestClass]
public sealed class PlainMessageTests
{
    [TestMethod]
    [DataRow("\0juliet\0pencil", null, "juliet", "pencil")]
    [DataRow("juliet@example.com\0juliet\0pencil", "juliet@example.com", "juliet", "pencil")]
    [DataRow("\0j\u00FCliet\0p\u00E4ss w\u00F6rd", null, "jüliet", "päss wörd")]
    [DataRow("\0ju\u00A0liet\0pass\u00A0word", null, "ju liet", "pass\u00A0word")] // authcid prepared, password raw
    public void TryParse_Valid_SplitsFields(string message, string? authzid, string authcid, string password)
    {
        var failure = PlainMessage.TryParse(Encoding.UTF8.GetBytes(message), out var z, out var c, out var p);

        Assert.IsNull(failure);
        Assert.AreEqual(authzid, z);
        Assert.AreEqual(authcid, c);
        Assert.AreEqual(password, p);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("juliet")]
    [DataRow("\0juliet")]
    [DataRow("\0juliet\0")]
    [DataRow("\0\0pencil")]
    [DataRow("\0juliet\0pen\0cil")]
    [DataRow("\0jul\u0007iet\0pencil")]
    public void TryParse_Malformed_MalformedRequest(string message)
    {
        var failure = PlainMessage.TryParse(Encoding.UTF8.GetBytes(message), out var authzid, out var authcid, out var password);

        Assert.AreEqual(SaslFailure.MalformedRequest, failure);
        Assert.IsNull(authzid);
        Assert.AreEqual(string.Empty, authcid);
        Assert.AreEqual(string.Empty, password);
    }

    [TestMethod]
    [DataRow(new byte[] { 0, (byte)'j', 0, 0xC3, 0x28 })]      // bad continuation in password
    [DataRow(new byte[] { 0, 0xFF, 0, (byte)'p' })]            // 0xFF never occurs in UTF-8
    [DataRow(new byte[] { 0xE2, 0x82, 0, (byte)'j', 0, (byte)'p' })] // truncated sequence in authzid
    [DataRow(new byte[] { 0, 0xC0, 0xAF, 0, (byte)'p' })]      // overlong '/'
    public void TryParse_InvalidUtf8_MalformedRequest(byte[] message)
    {
        Assert.AreEqual(SaslFailure.MalformedRequest, PlainMessage.TryParse(message, out _, out _, out _));
    }

    [TestMethod]
    public void TryParse_ThenVerifyPassword_Authenticates()
    {
        var credentials = ScramCredentials.Create(ScramHash.Sha256, "pencil", 4096);

        PlainMessage.TryParse("\0juliet\0pencil"u8, out _, out _, out var password);

        Assert.IsTrue(credentials.VerifyPassword(password));
    }
}
