using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

[TestClass]
public sealed class JidParseTests
{
    // RFC 7622 §3.5.1, examples 1-15, plus the split rule of §3.2 applied to odd shapes.
    [TestMethod]
    [DataRow("juliet@example.com", "juliet", "example.com", null)]
    [DataRow("juliet@example.com/foo", "juliet", "example.com", "foo")]
    [DataRow("juliet@example.com/foo bar", "juliet", "example.com", "foo bar")]
    [DataRow("juliet@example.com/foo@bar", "juliet", "example.com", "foo@bar")]
    [DataRow("foo\\20bar@example.com", "foo\\20bar", "example.com", null)]
    [DataRow("fussball@example.com", "fussball", "example.com", null)]
    [DataRow("fußball@example.com", "fußball", "example.com", null)]
    [DataRow("π@example.com", "π", "example.com", null)]
    [DataRow("Σ@example.com/foo", "σ", "example.com", "foo")]
    [DataRow("σ@example.com/foo", "σ", "example.com", "foo")]
    [DataRow("ς@example.com/foo", "ς", "example.com", "foo")]
    [DataRow("king@example.com/♚", "king", "example.com", "♚")]
    [DataRow("example.com", null, "example.com", null)]
    [DataRow("example.com/foobar", null, "example.com", "foobar")]
    [DataRow("a.example.com/b@example.net", null, "a.example.com", "b@example.net")]
    [DataRow("server/resource@foo", null, "server", "resource@foo")]
    [DataRow("juliet@example.com/foo/bar", "juliet", "example.com", "foo/bar")]
    [DataRow("juliet@example.com/ foo ", "juliet", "example.com", " foo ")]
    [DataRow("user@192.168.1.1", "user", "192.168.1.1", null)]
    [DataRow("user@[::1]", "user", "[::1]", null)]
    [DataRow("user@example.org/🍺", "user", "example.org", "🍺")]
    public void Parse_ValidJid_SplitsIntoParts(string text, string? local, string domain, string? resource)
    {
        var jid = Jid.Parse(text);

        Assert.AreEqual(local, jid.Local);
        Assert.AreEqual(domain, jid.Domain);
        Assert.AreEqual(resource, jid.Resource);
    }

    // RFC 7622 §3.5.2, examples 1-8, then further shapes each part's rules exclude.
    [TestMethod]
    [DataRow("\"juliet\"@example.com")]
    [DataRow("foo bar@example.com")]
    [DataRow("juliet@example.com/")]
    [DataRow("@example.com/")]
    [DataRow("henry\u2163@example.com")]
    [DataRow("♚@example.com")]
    [DataRow("juliet@")]
    [DataRow("/foobar")]
    [DataRow("")]
    [DataRow("@example.com")]
    [DataRow("example.com/")]
    [DataRow("@")]
    [DataRow("/")]
    [DataRow("@/")]
    [DataRow("user@@host")]
    [DataRow("a@b@example.com")]
    [DataRow("jul\u0001iet@example.com")]
    [DataRow("jul:iet@example.com")]
    [DataRow("jul<iet@example.com")]
    [DataRow("jul&iet@example.com")]
    [DataRow("jul'iet@example.com")]
    [DataRow("juliet\u200B@example.com")]
    [DataRow("juliet@example.com/foo\u0007")]
    [DataRow("juliet@example.com/foo\u200Bbar")]
    [DataRow("juliet@exa mple.com")]
    [DataRow("juliet@example..com")]
    [DataRow("juliet@.example.com")]
    [DataRow("juliet@example.com..")]
    [DataRow("juliet@-example.com")]
    [DataRow("juliet@example-.com")]
    [DataRow("juliet@ab--cd.com")]
    [DataRow("juliet@a_b.com")]
    [DataRow("juliet@☃.net")]
    [DataRow("juliet@xn--zz.com")]
    [DataRow("juliet@999.1.1.1")]
    [DataRow("juliet@1.2.3")]
    [DataRow("juliet@[::1")]
    [DataRow("juliet@[1.2.3.4]")]
    [DataRow("juliet@[fe80::1%eth0]")]
    public void TryParse_InvalidJid_ReturnsFalse(string text)
    {
        Assert.IsFalse(Jid.TryParse(text, out var jid));
        Assert.IsNull(jid);
        Assert.ThrowsException<FormatException>(() => Jid.Parse(text));
    }

    [TestMethod]
    public void TryParse_LoneSurrogate_ReturnsFalse()
    {
        // Built in code: attribute arguments are stored as UTF-8, which cannot carry a lone surrogate.
        Assert.IsFalse(Jid.TryParse("juliet@example.com/x" + (char)0xD800, out _));
        Assert.IsFalse(Jid.TryParse("jul" + (char)0xDC00 + "iet@example.com", out _));
        Assert.IsFalse(Jid.TryParse("juliet@exa" + (char)0xD800 + "mple.com", out _));
    }

    [TestMethod]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.IsFalse(Jid.TryParse(null, out _));
    }

    [TestMethod]
    [DataRow("JULIET@EXAMPLE.COM/Foo", "juliet@example.com/Foo")]
    [DataRow("ÀLICE@example.com", "àlice@example.com")]
    [DataRow("ＪＵＬＩＥＴ@example.com", "juliet@example.com")]
    [DataRow("ｶﾞ@example.com", "ガ@example.com")]
    [DataRow("\u0130@example.com", "i\u0307@example.com")]
    [DataRow("E\u0301@example.com/e\u0301", "é@example.com/é")]
    [DataRow("example.com/ＦＯＯ", "example.com/ＦＯＯ")]
    [DataRow("example.com/foo\u00A0bar\u3000", "example.com/foo bar ")]
    [DataRow("example.com/Ⅳ", "example.com/Ⅳ")]
    [DataRow("l·l@example.com", "l·l@example.com")]
    public void Parse_NeedsPreparation_GivesCanonicalString(string text, string expected)
    {
        Assert.AreEqual(expected, Jid.Parse(text).ToString());
    }

    [TestMethod]
    [DataRow("a·b@example.com")]
    [DataRow("\u0660\u06F0@example.com")]
    [DataRow("a\u30FBb@example.com")]
    [DataRow("\u0375a@example.com")]
    public void TryParse_ContextRuleBroken_ReturnsFalse(string text)
    {
        Assert.IsFalse(Jid.TryParse(text, out _));
    }

    [TestMethod]
    [DataRow("\u0660\u0661@example.com")]
    [DataRow("\u30A2\u30FB\u30A4@example.com")]
    [DataRow("\u0375\u03B1@example.com")]
    public void TryParse_ContextRuleHolds_ReturnsTrue(string text)
    {
        Assert.IsTrue(Jid.TryParse(text, out _));
    }

    [TestMethod]
    public void ToString_InputAlreadyCanonical_ReturnsInputInstance()
    {
        var text = "juliet@example.com/balcony";

        Assert.AreSame(text, Jid.Parse(text).ToString());
    }

    [TestMethod]
    public void ToString_Reparsed_GivesEqualJid()
    {
        var jid = Jid.Parse("ＪＵＬＩＥＴ@BÜCHER.example./Balcony\u00A0Room");

        Assert.AreEqual(jid, Jid.Parse(jid.ToString()));
        Assert.AreEqual("juliet@bücher.example/Balcony Room", jid.ToString());
    }
}
