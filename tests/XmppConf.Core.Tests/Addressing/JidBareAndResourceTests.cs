using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

[TestClass]
public sealed class JidBareAndResourceTests
{
    [TestMethod]
    public void Bare_FullJid_DropsResourceAndIsCached()
    {
        var full = Jid.Parse("juliet@example.com/balcony");

        var bare = full.Bare;

        Assert.AreEqual("juliet@example.com", bare.ToString());
        Assert.IsTrue(bare.IsBare);
        Assert.IsFalse(full.IsBare);
        Assert.AreSame(bare, full.Bare);
        Assert.AreEqual(Jid.Parse("juliet@example.com"), bare);
    }

    [TestMethod]
    public void Bare_BareJid_IsSameInstance()
    {
        var bare = Jid.Parse("juliet@example.com");

        Assert.AreSame(bare, bare.Bare);
    }

    [TestMethod]
    [DataRow("example.com", true, true)]
    [DataRow("example.com/res", false, false)]
    [DataRow("juliet@example.com", true, false)]
    [DataRow("juliet@example.com/res", false, false)]
    public void IsBareAndIsDomain_ReflectParts(string text, bool isBare, bool isDomain)
    {
        var jid = Jid.Parse(text);

        Assert.AreEqual(isBare, jid.IsBare);
        Assert.AreEqual(isDomain, jid.IsDomain);
    }

    [TestMethod]
    public void WithResource_NewResource_PreparesAndKeepsBare()
    {
        var jid = Jid.Parse("juliet@example.com/balcony");

        var moved = jid.WithResource("Garden\u00A0Wall");

        Assert.AreEqual("juliet@example.com/Garden Wall", moved.ToString());
        Assert.AreEqual(jid.Bare, moved.Bare);
        Assert.AreEqual("balcony", jid.Resource, "the original is unchanged");
    }

    [TestMethod]
    public void WithResource_Null_ReturnsBare()
    {
        var jid = Jid.Parse("juliet@example.com/balcony");

        Assert.AreSame(jid.Bare, jid.WithResource(null));
    }

    [TestMethod]
    public void WithResource_SameResource_ReturnsSameInstance()
    {
        var jid = Jid.Parse("juliet@example.com/balcony");

        Assert.AreSame(jid, jid.WithResource("balcony"));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("bad\u0000")]
    [DataRow("\u200D")]
    public void WithResource_Invalid_Throws(string resource)
    {
        var jid = Jid.Parse("juliet@example.com");

        Assert.ThrowsException<FormatException>(() => jid.WithResource(resource));
    }

    [TestMethod]
    public void Create_Parts_ArePreparedLikeParse()
    {
        var jid = Jid.Create("Juliet", "Example.COM.", "a/b@c");

        Assert.AreEqual("juliet", jid.Local);
        Assert.AreEqual("example.com", jid.Domain);
        Assert.AreEqual("a/b@c", jid.Resource);
        Assert.AreEqual("juliet@example.com/a/b@c", jid.ToString());
    }

    [TestMethod]
    public void Create_DomainOnly_IsDomain()
    {
        Assert.IsTrue(Jid.Create(null, "conference.example.com").IsDomain);
    }

    [TestMethod]
    [DataRow("", "example.com", null)]
    [DataRow("a@b", "example.com", null)]
    [DataRow("a/b", "example.com", null)]
    [DataRow("juliet", "", null)]
    [DataRow("juliet", "exa/mple.com", null)]
    [DataRow("juliet", "juliet@example.com", null)]
    [DataRow("juliet", "example.com", "")]
    public void Create_InvalidPart_Throws(string? local, string domain, string? resource)
    {
        Assert.ThrowsException<FormatException>(() => Jid.Create(local, domain, resource));
    }
}
