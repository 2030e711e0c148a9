using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

[TestClass]
public sealed class JidEqualityTests
{
    [TestMethod]
    [DataRow("juliet@example.com/foo", "JULIET@Example.COM./foo")]
    [DataRow("σ@example.com", "Σ@example.com")]
    [DataRow("é@example.com", "E\u0301@example.com")]
    [DataRow("juliet@example.com", "ＪＵＬＩＥＴ@example.com")]
    [DataRow("example.com/foo bar", "example.com/foo\u2003bar")]
    public void Equals_SameAfterPreparation_IsEqualWithEqualHash(string left, string right)
    {
        var a = Jid.Parse(left);
        var b = Jid.Parse(right);

        Assert.IsTrue(a.Equals(b));
        Assert.IsTrue(a.Equals((object)b));
        Assert.IsTrue(a == b);
        Assert.IsFalse(a != b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
    }

    [TestMethod]
    [DataRow("juliet@example.com/foo", "juliet@example.com/Foo")]
    [DataRow("juliet@example.com/foo", "juliet@example.com")]
    [DataRow("juliet@example.com", "example.com")]
    [DataRow("fussball@example.com", "fußball@example.com")]
    [DataRow("ς@example.com", "σ@example.com")]
    [DataRow("example.com/ＦＯＯ", "example.com/FOO")]
    [DataRow("a@b.example", "b.example/a")]
    public void Equals_DifferentAfterPreparation_IsNotEqual(string left, string right)
    {
        var a = Jid.Parse(left);
        var b = Jid.Parse(right);

        Assert.IsFalse(a.Equals(b));
        Assert.IsFalse(a == b);
        Assert.IsTrue(a != b);
    }

    [TestMethod]
    public void Operators_WithNull_CompareByNullness()
    {
        var jid = Jid.Parse("juliet@example.com");
        Jid? none = null;

        Assert.IsFalse(jid == none);
        Assert.IsFalse(none == jid);
        Assert.IsTrue(none == null);
        Assert.IsFalse(jid.Equals(null));
        Assert.IsFalse(jid.Equals("juliet@example.com"));
    }

    [TestMethod]
    public void HashSet_EquivalentSpellings_HoldOneEntry()
    {
        var set = new HashSet<Jid>
        {
            Jid.Parse("juliet@example.com/balcony"),
            Jid.Parse("Juliet@EXAMPLE.com/balcony"),
            Jid.Create("JULIET", "example.com.", "balcony"),
        };

        Assert.AreEqual(1, set.Count);
    }
}
