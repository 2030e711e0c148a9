using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

/// <summary>RFC 7622 §3.1: each part is 1 to 1023 octets of UTF-8 once prepared.</summary>
[TestClass]
public sealed class JidPartLengthTests
{
    [TestMethod]
    [DataRow("a", 1023, "", true)]
    [DataRow("a", 1024, "", false)]
    [DataRow("é", 511, "a", true)]  // 1022 + 1 = 1023 bytes
    [DataRow("é", 512, "", false)]  // 1024 bytes in 512 characters
    [DataRow("中", 341, "", true)]  // 1023 bytes
    [DataRow("中", 342, "", false)] // 1026 bytes
    public void Parse_LocalpartLength_CountsUtf8Bytes(string unit, int count, string suffix, bool valid)
    {
        var local = string.Concat(Enumerable.Repeat(unit, count)) + suffix;

        Assert.AreEqual(valid, Jid.TryParse(local + "@example.com", out _));
    }

    [TestMethod]
    [DataRow("r", 1023, true)]
    [DataRow("r", 1024, false)]
    [DataRow("🍺", 255, true)]  // 1020 bytes, + "abc" = 1023
    [DataRow("🍺", 256, false)] // 1024 bytes, + "abc" = 1027
    public void Parse_ResourcepartLength_CountsUtf8Bytes(string unit, int count, bool valid)
    {
        var resource = string.Concat(Enumerable.Repeat(unit, count));
        if (unit == "🍺") resource += "abc";

        Assert.AreEqual(valid, Jid.TryParse("juliet@example.com/" + resource, out _));
    }

    [TestMethod]
    public void Parse_LengthCountedAfterPreparation_DecomposedInputFits()
    {
        // 600 × (e + COMBINING ACUTE) is 1800 bytes raw but 1200 after NFC: still too long...
        Assert.IsFalse(Jid.TryParse(string.Concat(Enumerable.Repeat("e\u0301", 600)) + "@example.com", out _));

        // ...while 500 of them NFC to 1000 bytes, under the limit though 1500 raw.
        var jid = Jid.Parse(string.Concat(Enumerable.Repeat("e\u0301", 500)) + "@example.com");
        Assert.AreEqual(500, jid.Local!.Length);
    }

    [TestMethod]
    public void Parse_HugeInput_IsRejected()
    {
        Assert.IsFalse(Jid.TryParse(new string('a', 1_000_000) + "é@example.com", out _));
        Assert.IsFalse(Jid.TryParse("juliet@example.com/" + new string('é', 1_000_000), out _));
    }
}
