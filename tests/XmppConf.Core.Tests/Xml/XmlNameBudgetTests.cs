using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// The server-wide bound on names peers may add to the namespaces the process holds for good, checked through the
/// framer as a connection feeds it.
/// </summary>
[TestClass]
public sealed class XmlNameBudgetTests
{
    private const string Header = XmppStreamFramerTests.Header;

    [TestMethod]
    public void XLinq_NamespaceNobodyHolds_IsFreedWithItsNames()
    {
        var (ns, name) = ParseInFreshNamespace();
        CollectAll();
        Assert.IsFalse(ns.IsAlive, "XLinq holds namespaces weakly: names in a custom namespace need no budget");
        Assert.IsFalse(name.IsAlive);
    }

    [TestMethod]
    public void XLinq_NamespaceSomeoneHolds_KeepsEveryNameForGood()
    {
        // The budget holds no namespace (like the parser's static XNames): invented names there never die.
        var budget = new XmlNameBudget();
        var name = InventNameInNoNamespace();
        CollectAll();
        Assert.IsTrue(name.IsAlive, "a name in a held namespace outlives every element that used it");
        GC.KeepAlive(budget);
    }

    [TestMethod]
    public void Framer_NewNamesWithinBudget_Admitted()
    {
        var budget = new XmlNameBudget(capacity: 10);
        var outcome = Run(budget, Invented(0, 10));
        Assert.IsNull(outcome.Error, outcome.ToString());
        Assert.AreEqual(10, budget.Count);
    }

    [TestMethod]
    public void Framer_NewNamesBeyondBudget_PolicyViolation()
    {
        var budget = new XmlNameBudget(capacity: 10);
        var outcome = Run(budget, Invented(0, 11));
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, outcome.Error, outcome.ToString());
        Assert.AreEqual(10, budget.Count);
    }

    [TestMethod]
    public void Framer_BudgetSpent_AdmittedAndKnownNamesStillPass()
    {
        var budget = new XmlNameBudget(capacity: 3);
        Assert.IsNull(Run(budget, Invented(0, 3)).Error);
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, Run(budget, Invented(3, 1)).Error);

        var outcome = Run(budget, Invented(0, 3) +
            "<message to='juliet@example.com/balcony' from='romeo@example.net' type='chat' id='m1' xml:lang='en'>" +
            "<body>hi</body><thread parent='p'>t</thread><x xmlns='jabber:x:data' type='submit'><field var='a'><value>1</value></field></x>" +
            "<stanza-id xmlns='urn:xmpp:sid:0' id='s' by='room@muc'/><delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z'/>" +
            "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        Assert.IsNull(outcome.Error, outcome.ToString());
    }

    [TestMethod]
    public void Framer_CustomNamespaceElements_NeverCounted()
    {
        var budget = new XmlNameBudget(capacity: 1);
        var elements = string.Concat(Enumerable.Range(0, 500).Select(i => $"<e{i}/>"));
        var outcome = Run(budget, $"<message><x xmlns='urn:example:custom'>{elements}</x><p:y xmlns:p='urn:example:other' p:attr='1'/></message>");
        Assert.IsNull(outcome.Error, outcome.ToString());
        Assert.AreEqual(1, budget.Count, "only the prefix declaration, xmlns:p, is a name in a held namespace");
    }

    [TestMethod]
    [DataRow("<message><x xmlns='urn:example:custom' invented=''/></message>", DisplayName = "unprefixed attribute on a custom element is in no namespace")]
    [DataRow("<message><invented/></message>", DisplayName = "element in jabber:client")]
    [DataRow("<message><x xmlns='jabber:x:data'><invented/></x></message>", DisplayName = "element in a namespace the server holds (Ns)")]
    [DataRow("<message xml:invented='1'/>", DisplayName = "xml: attribute")]
    [DataRow("<message xmlns:invented='urn:example:custom'/>", DisplayName = "namespace prefix declaration (xmlns: names)")]
    [DataRow("<stream:invented/>", DisplayName = "element in the streams namespace")]
    public void Framer_NewNameInPermanentNamespace_Counted(string stanza)
    {
        var budget = new XmlNameBudget(capacity: 0);
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, Run(budget, stanza).Error);
        Assert.IsNull(Run(new XmlNameBudget(capacity: 1), stanza).Error);
    }

    [TestMethod]
    public void Framer_ExtraPermanentNamespace_Counted()
    {
        var budget = new XmlNameBudget(capacity: 0, permanentNamespaces: ["urn:example:held"]);
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, Run(budget, "<message><x xmlns='urn:example:held'><invented/></x></message>").Error);
        CollectionAssert.Contains(budget.PermanentNamespaces.ToList(), "urn:example:held");
        CollectionAssert.Contains(budget.PermanentNamespaces.ToList(), "");
    }

    [TestMethod]
    public void Framer_NameLongerThanLimit_Refused()
    {
        var budget = new XmlNameBudget(capacity: 100);
        var longName = "a" + new string('b', XmlNameBudget.MaxNameLength);
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, Run(budget, $"<message {longName}=''/>").Error);
        Assert.AreEqual(0, budget.Count);
        Assert.IsNull(Run(budget, $"<message {longName[..XmlNameBudget.MaxNameLength]}=''/>").Error);
    }

    [TestMethod]
    public void Framer_BeforeAuthentication_UnknownElementRefused_UnknownAttributeDropped_NothingAdmitted()
    {
        var budget = new XmlNameBudget(capacity: 100);
        var preAuth = new FramerLimits(MaxStanzaBytes: 10_000, AdmitNewNames: false);

        var element = Run(budget, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'><invented/></auth>", preAuth);
        Assert.AreEqual(StreamErrorCondition.PolicyViolation, element.Error, element.ToString());

        var harness = new FramerHarness(preAuth, budget);
        harness.Feed(Header + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN' invented='1' xmlns:ga='urn:example:google' ga:x='1'>AGE=</auth>");
        var auth = harness.Frames[^1].Element!;
        Assert.AreEqual("PLAIN", (string?)auth.Attribute("mechanism"));
        Assert.IsNull(auth.Attribute("invented"));
        Assert.IsNull(auth.Attribute(XNamespace.Xmlns + "ga"), "the declaration applies but its attribute is dropped");
        Assert.AreEqual("1", (string?)auth.Attribute(XName.Get("x", "urn:example:google")));
        Assert.AreEqual("AGE=", auth.Value);
        Assert.AreEqual(0, budget.Count);

        // Names admitted after authentication are known from then on, also before authentication.
        Assert.IsNull(Run(budget, "<message><invented/></message>").Error);
        Assert.IsNull(Run(budget, "<message><invented/></message>", preAuth).Error);
    }

    [TestMethod]
    public void Framer_StreamHeaderBeforeAuthentication_UnknownAttributesDropped()
    {
        var budget = new XmlNameBudget(capacity: 100);
        var harness = new FramerHarness(new FramerLimits(AdmitNewNames: false), budget);
        harness.Feed(Header.Replace("xml:lang='en'", "xml:lang='en' invented1='x' invented2='y'", StringComparison.Ordinal));
        var header = harness.Frames.Single().Element!;
        Assert.AreEqual("1.0", (string?)header.Attribute("version"));
        Assert.IsNull(header.Attribute("invented1"));
        Assert.AreEqual(0, budget.Count);
    }

    [TestMethod]
    public void Framer_ManyConnectionsInventingNames_BudgetHolds()
    {
        // 50 stanzas of 1000 new names each (the shape a hostile client sends), one connection each, one budget.
        const int capacity = 2500;
        var budget = new XmlNameBudget(capacity);
        var admitted = 0;
        for (var i = 0; i < 50; i++)
        {
            var outcome = Run(budget, Invented(i * 1000, 1000));
            if (outcome.Error is null)
            {
                admitted++;
            }
            else
            {
                Assert.AreEqual(StreamErrorCondition.PolicyViolation, outcome.Error);
            }
        }
        Assert.AreEqual(2, admitted, "two stanzas fit, the third and every later one are refused");
        Assert.AreEqual(capacity, budget.Count, "the budget fills exactly, never beyond");
    }

    [TestMethod]
    public void Admit_Exhausted_ReportedOnce()
    {
        var reports = new List<int>();
        var budget = new XmlNameBudget(capacity: 1, exhausted: reports.Add);
        Assert.AreEqual(XmlNameAdmission.Admitted, budget.Admit(XNamespace.None, "one", admitNew: true));
        Assert.AreEqual(XmlNameAdmission.Exhausted, budget.Admit(XNamespace.None, "two", admitNew: true));
        Assert.AreEqual(XmlNameAdmission.Exhausted, budget.Admit(XNamespace.None, "three", admitNew: true));
        Assert.AreEqual(XmlNameAdmission.Admitted, budget.Admit(XNamespace.None, "one", admitNew: true));
        CollectionAssert.AreEqual(new[] { 1 }, reports);
    }

    [TestMethod]
    public void Admit_SameNameFromManyThreads_CountedOnce()
    {
        var budget = new XmlNameBudget(capacity: 100);
        Parallel.For(0, 1000, i => budget.Admit(XNamespace.None, "n" + (i % 10), admitNew: true));
        Assert.AreEqual(10, budget.Count);
    }

    [TestMethod]
    public void Framer_KnownNames_BudgetAllocatesNothing()
    {
        // Counted, not timed: parsing a stanza of known names allocates the same with or without the budget.
        var stanza = Encoding.UTF8.GetBytes(Header + string.Concat(Enumerable.Repeat(
            "<message to='juliet@example.com' type='chat' id='m1' xml:lang='en'><body>hi</body>" +
            "<x xmlns='jabber:x:data' type='submit'><field var='a'><value>1</value></field></x></message>", 20)));
        var budget = new XmlNameBudget(capacity: 0);
        Assert.AreEqual(AllocatedWhileParsing(stanza, null), AllocatedWhileParsing(stanza, budget));
    }

    private static long AllocatedWhileParsing(byte[] input, XmlNameBudget? budget)
    {
        long allocated = 0;
        for (var round = 0; round < 3; round++)
        {
            // One framer per round, built outside the measurement; the last round is measured, once warm.
            var framer = new XmppStreamFramer(new FramerLimits(), budget);
            var buffer = new System.Buffers.ReadOnlySequence<byte>(input);
            var before = GC.GetAllocatedBytesForCurrentThread();
            while (framer.TryReadFrame(ref buffer, out _))
            {
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return allocated;
    }

    private static FramerHarness.Outcome Run(XmlNameBudget budget, string stanzas, FramerLimits? limits = null)
    {
        var harness = new FramerHarness(limits, budget);
        try
        {
            harness.Feed(Header + stanzas);
            return new FramerHarness.Outcome(harness.Frames.Select(FramerHarness.Describe).ToList(), null, harness.Buffered);
        }
        catch (XmppStreamException ex)
        {
            return new FramerHarness.Outcome(harness.Frames.Select(FramerHarness.Describe).ToList(), ex.Condition, -1);
        }
    }

    /// <summary>A message whose payloads carry <paramref name="count"/> new attribute names (no namespace).</summary>
    private static string Invented(int first, int count)
    {
        var xml = new StringBuilder("<message>");
        for (var start = first; start < first + count; start += 200)
        {
            xml.Append("<x xmlns='urn:example:custom'");
            for (var n = start; n < Math.Min(start + 200, first + count); n++)
            {
                xml.Append(" z").Append(n).Append("=''");
            }
            xml.Append("/>");
        }
        return xml.Append("</message>").ToString();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Namespace, WeakReference Name) ParseInFreshNamespace()
    {
        var uri = "urn:example:weak:" + Guid.NewGuid().ToString("N");
        var harness = new FramerHarness(names: new XmlNameBudget());
        harness.Feed(Header + $"<message><x xmlns='{uri}'><invented/></x></message>");
        var payload = harness.Frames[^1].Element!.Elements().Single();
        return (new WeakReference(payload.Name.Namespace), new WeakReference(payload.Elements().Single().Name));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference InventNameInNoNamespace() =>
        new(XNamespace.None.GetName("invented-" + Guid.NewGuid().ToString("N")));

    private static void CollectAll()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
