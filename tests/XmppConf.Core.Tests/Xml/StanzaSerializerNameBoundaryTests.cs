using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// Regression: an element or attribute name that does not fit in the output chunk used to be
/// counted twice (compound assignment read the byte count before the chunk was flushed), which
/// left NUL bytes in the stanza.
/// </summary>
[TestClass]
public sealed class StanzaSerializerNameBoundaryTests
{
    [TestMethod]
    [DataRow(3)]
    [DataRow(17)]
    [DataRow(40)]
    public void ToUtf8_ManyNamesAcrossChunks_NoNulAndRoundTrips(int nameLength)
    {
        XNamespace client = Ns.Client;
        var stanza = new XElement(client + "message");
        for (var i = 0; i < 300; i++)
        {
            stanza.Add(new XElement(client + (new string('n', nameLength) + i), new XAttribute(new string('a', nameLength), "v")));
        }

        // A fresh thread gets a fresh thread-static buffer, as the first stanza on a thread does.
        string? text = null;
        var thread = new Thread(() => text = Encoding.UTF8.GetString(StanzaSerializer.ToUtf8(stanza)));
        thread.Start();
        thread.Join();

        Assert.IsFalse(text!.Contains('\0'), "NUL in output");
        var parsed = XElement.Parse("<w xmlns='jabber:client'>" + text + "</w>").Elements().Single();
        Assert.AreEqual(300, parsed.Elements().Count());
    }
}
