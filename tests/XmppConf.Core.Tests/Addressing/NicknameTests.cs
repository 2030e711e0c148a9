using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Addressing;

namespace XmppConf.Core.Tests.Addressing;

/// <summary>RFC 8266 Nickname profile (<see cref="Nickname"/>): enforcement and comparison.</summary>
[TestClass]
public sealed class NicknameTests
{
    [TestMethod]
    [DataRow("Bob", "Bob")]
    [DataRow("  Bob  ", "Bob")]
    [DataRow("Bob    Smith", "Bob Smith")]
    [DataRow("\u00A0Bob\u2003\u3000Smith\u202F", "Bob Smith")] // non-ASCII spaces map to U+0020 first (§2.1)
    [DataRow("\uFF22\uFF4F\uFF42", "Bob")] // fullwidth, by NFKC
    [DataRow("\u2163", "IV")] // ROMAN NUMERAL FOUR, by NFKC
    [DataRow("\uFB01sh", "fish")] // LATIN SMALL LIGATURE FI
    [DataRow("Ren\u0065\u0301e", "Ren\u00E9e")] // composed
    [DataRow("\u265A Chess \u265B", "\u265A Chess \u265B")] // symbols are FreeformClass
    public void TryEnforce_Valid_Mapped(string input, string expected)
    {
        Assert.IsTrue(Nickname.TryEnforce(input, out var output));
        Assert.AreEqual(expected, output);
        Assert.IsTrue(Nickname.TryEnforce(output, out var again));
        Assert.AreEqual(output, again, "enforcement is idempotent");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("\u00A0\u2003")] // only spaces once mapped
    [DataRow("bell\u0007")] // control (Cc)
    [DataRow("tab\there")]
    [DataRow("nul\0")]
    [DataRow("del\u007F")]
    [DataRow("\u0378")] // unassigned
    [DataRow("pua\uE000")] // private use: not FreeformClass
    public void TryEnforce_Invalid_Refused(string input) =>
        Assert.IsFalse(Nickname.TryEnforce(input, out _));

    [TestMethod]
    public void TryEnforce_LoneSurrogate_Refused()
    {
        // Not a DataRow: attribute metadata would turn the lone surrogate into U+FFFD.
        var lone = "lone" + (char)0xD800;
        Assert.IsFalse(Nickname.TryEnforce(lone, out _));
    }

    [TestMethod]
    public void TryEnforce_NfkcMakesSpaces_StillTrimmed()
    {
        // U+00A8 DIAERESIS is " \u0308" under NFKC: the space it produces must be mapped too.
        Assert.IsTrue(Nickname.TryEnforce("a\u00A8", out var output));
        Assert.IsTrue(Nickname.TryEnforce(output, out var again));
        Assert.AreEqual(output, again);
    }

    [TestMethod]
    [DataRow("Bob", "bob")]
    [DataRow("BOB", " bob ")]
    [DataRow("\uFF22\uFF4F\uFF42", "bob")]
    [DataRow("\u0130stanbul", "i\u0307stanbul")]
    [DataRow("\u00C9LODIE", "\u00E9lodie")]
    public void ComparisonKey_SameNickname_SameKey(string a, string b) =>
        Assert.AreEqual(Nickname.ComparisonKey(a), Nickname.ComparisonKey(b));

    [TestMethod]
    public void ComparisonKey_DifferentNicknames_DifferentKeys() =>
        Assert.AreNotEqual(Nickname.ComparisonKey("Bob"), Nickname.ComparisonKey("Bobby"));

    [TestMethod]
    [DataRow("abc", 3)]
    [DataRow("\U0001F600x", 2)] // one astral code point is two UTF-16 units
    public void CodePointCount_CountsCodePoints(string text, int expected) =>
        Assert.AreEqual(expected, Nickname.CodePointCount(text));
}
