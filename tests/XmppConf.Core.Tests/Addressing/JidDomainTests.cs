using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

[TestClass]
public sealed class JidDomainTests
{
    [TestMethod]
    [DataRow("example.com.", "example.com")]
    [DataRow("EXAMPLE.COM", "example.com")]
    [DataRow("xn--bcher-kva.example", "bücher.example")]
    [DataRow("BÜCHER.example", "bücher.example")]
    [DataRow("bücher.example", "bücher.example")]
    [DataRow("faß.de", "faß.de")]
    [DataRow("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com")]
    [DataRow("example。com", "example.com")]
    [DataRow("example｡com", "example.com")]
    [DataRow("localhost", "localhost")]
    [DataRow("127.0.0.1", "127.0.0.1")]
    [DataRow("[2001:0DB8:0000:0000:0000:0000:0000:0001]", "[2001:db8::1]")]
    [DataRow("[::ffff:192.0.2.1]", "[::ffff:192.0.2.1]")]
    public void Parse_Domain_IsNormalised(string text, string expected)
    {
        Assert.AreEqual(expected, Jid.Parse(text).Domain);
    }

    [TestMethod]
    public void Equals_IdnSpellings_AreEqual()
    {
        var a = Jid.Parse("juliet@xn--bcher-kva.example");
        var b = Jid.Parse("juliet@BÜCHER.example.");

        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
    }

    [TestMethod]
    public void Parse_LabelOf63_IsValid_LabelOf64_IsNot()
    {
        Assert.IsTrue(Jid.TryParse(new string('a', 63) + ".example", out _));
        Assert.IsFalse(Jid.TryParse(new string('a', 64) + ".example", out _));
    }

    [TestMethod]
    public void Parse_IdnLabelOver63InAceForm_IsInvalid()
    {
        // 60 × 'ü' is 60 characters but far more than 63 once punycoded.
        Assert.IsFalse(Jid.TryParse(new string('ü', 60) + ".example", out _));
    }

    [TestMethod]
    public void Parse_Domain1023Bytes_IsValid_1024IsNot()
    {
        var labels1023 = string.Join('.', Enumerable.Repeat(new string('a', 63), 16));
        var labels1024 = string.Join('.', Enumerable.Repeat(new string('a', 63), 15)) + "." + new string('b', 31) + "." + new string('c', 32);
        Assert.AreEqual(1023, labels1023.Length);
        Assert.AreEqual(1024, labels1024.Length);

        Assert.IsTrue(Jid.TryParse("juliet@" + labels1023, out _));
        Assert.IsTrue(Jid.TryParse("juliet@" + labels1023 + ".", out _), "the stripped trailing dot does not count");
        Assert.IsFalse(Jid.TryParse("juliet@" + labels1024, out _));
    }

    [TestMethod]
    public void Parse_UnicodeDomainOver1023Bytes_IsInvalid()
    {
        // 'ü' is two bytes in UTF-8: 10 labels of 51 × 'ü' are 1020 bytes + 9 dots = 1029 bytes.
        var label = new string('ü', 51);
        var domain = string.Join('.', Enumerable.Repeat(label, 10));

        Assert.IsTrue(Jid.TryParse("juliet@" + label, out _));
        Assert.IsFalse(Jid.TryParse("juliet@" + domain, out _));
    }
}
