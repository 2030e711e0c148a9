using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

[TestClass]
public sealed class SaslPrepTests
{
    [TestMethod]
    [DataRow("pencil", "pencil")]
    [DataRow("I\u00A0X", "I X")]          // NO-BREAK SPACE
    [DataRow("a\u2003b\u3000c", "a b c")] // EM SPACE, IDEOGRAPHIC SPACE
    [DataRow("a\u202Fb", "a b")]          // NARROW NO-BREAK SPACE
    [DataRow("  spaced  ", "  spaced  ")] // ASCII spaces are kept as they are
    [DataRow("Case", "Case")]             // no case mapping
    [DataRow("ＡＢ", "ＡＢ")]             // no width mapping
    [DataRow("\u2168", "\u2168")]         // ROMAN NUMERAL NINE stays (OpaqueString allows compatibility characters)
    [DataRow("e\u0301", "é")]             // NFC
    [DataRow("♚🍺", "♚🍺")]
    public void Prepare_Allowed_MapsPerOpaqueString(string input, string expected)
    {
        Assert.AreEqual(expected, SaslPrep.Prepare(input));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("a\u0000b")]
    [DataRow("a\u0007b")]
    [DataRow("a\u007Fb")]
    [DataRow("a\u0085b")]  // C1 control
    [DataRow("a\u00ADb")]  // SOFT HYPHEN (default ignorable)
    [DataRow("a\u200Bb")]  // ZERO WIDTH SPACE
    [DataRow("a\uFE0Fb")]  // variation selector
    [DataRow("a\u2028b")]  // LINE SEPARATOR
    [DataRow("a\uE000b")]  // private use
    [DataRow("a\uFFFFb")]  // noncharacter
    public void Prepare_Prohibited_Throws(string input)
    {
        Assert.ThrowsException<ArgumentException>(() => SaslPrep.Prepare(input));
        Assert.IsFalse(SaslPrep.TryPrepare(input, out var prepared));
        Assert.IsNull(prepared);
    }

    [TestMethod]
    public void TryPrepare_LoneSurrogate_False()
    {
        // Built in code: attribute arguments are stored as UTF-8, which cannot carry a lone surrogate.
        Assert.IsFalse(SaslPrep.TryPrepare("a" + (char)0xD800 + "b", out _));
        Assert.IsFalse(SaslPrep.TryPrepare("a" + (char)0xDC00, out _));
    }

    [TestMethod]
    public void Prepare_AsciiUnchanged_ReturnsSameInstance()
    {
        var text = "correct horse battery staple";

        Assert.AreSame(text, SaslPrep.Prepare(text));
    }
}
