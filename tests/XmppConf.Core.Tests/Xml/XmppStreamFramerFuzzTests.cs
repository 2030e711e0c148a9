using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.Xml;

/// <summary>
/// Random mutations of a valid stream: only <see cref="XmppStreamException"/> may escape, the way the bytes are
/// split must not change the outcome, and System.Xml's XmlReader serves as an independent referee.
/// </summary>
[TestClass]
public sealed class XmppStreamFramerFuzzTests
{
    private const string Interesting = "<>/'\"=&;#x![]-?: \r\n\tCDATAxmlns:stream";

    // What XmppConf refuses on purpose although XmlReader accepts it (RFC 6120 §11.1, §4.9.3, §13.12).
    private static readonly StreamErrorCondition[] XmppOnlyConditions =
    [
        StreamErrorCondition.RestrictedXml, StreamErrorCondition.BadFormat, StreamErrorCondition.InvalidNamespace,
        StreamErrorCondition.BadNamespacePrefix, StreamErrorCondition.PolicyViolation,
    ];

    [TestMethod]
    [Timeout(120_000)]
    [DataRow(1)]
    [DataRow(2)]
    public void TryReadFrame_MutatedStreams_OnlyStreamErrorsAndSplitIndependent(int fixedSeed)
    {
        var seed = FuzzSettings.Seed(fixedSeed);
        var original = Encoding.UTF8.GetBytes(XmppStreamFramerTests.Transcript);
        var random = new Random(seed);
        for (var i = 0; i < FuzzSettings.Iterations(1000); i++)
        {
            var input = Mutate(original, random);
            var context = Context(seed, i, input);

            var whole = FramerHarness.RunWhole(input);
            var split = FramerHarness.RunRandom(input, random.Next(), maxRead: random.Next(1, 64));
            Assert.AreEqual(whole.ToString(), split.ToString(), context);
            if (i % 10 == 0)
            {
                Assert.AreEqual(whole.ToString(), FramerHarness.RunByteByByte(input).ToString(), context);
            }

            CheckAgainstXmlReader(input, whole, context);
        }
    }

    /// <summary>Generated valid streams: accepted whole, one frame per stanza, however the bytes are split.</summary>
    [TestMethod]
    [Timeout(120_000)]
    [DataRow(11)]
    [DataRow(12)]
    public void TryReadFrame_GeneratedValidStreams_SameStanzasHoweverSplit(int fixedSeed)
    {
        var seed = FuzzSettings.Seed(fixedSeed);
        var random = new Random(seed);
        var generator = new RandomStreamGenerator(random);
        for (var i = 0; i < FuzzSettings.Iterations(400); i++)
        {
            var text = generator.Stream(maxStanzas: 6, out var stanzas);
            var input = Encoding.UTF8.GetBytes(text);
            var context = Context(seed, i, input);

            var whole = FramerHarness.RunWhole(input);
            Assert.IsNull(whole.Error, context);
            var closed = text.EndsWith("</stream:stream>", StringComparison.Ordinal);
            Assert.AreEqual(stanzas + (closed ? 2 : 1), whole.Frames.Count, context);
            Assert.AreEqual(whole.ToString(), FramerHarness.RunRandom(input, random.Next(), maxRead: random.Next(1, 32)).ToString(), context);
            CheckAgainstXmlReader(input, whole, context);
        }
    }

    /// <summary>
    /// Generated streams, mutated (bit flips, byte insertions and deletions, truncation, duplicated and swapped
    /// chunks) and parsed under random limits, split at random points: the outcome never depends on the split, only
    /// <see cref="XmppStreamException"/> escapes, the framer never makes the connection hold more than its limit, and
    /// allocation stays proportional to the input (an expansion bug would blow it).
    /// </summary>
    [TestMethod]
    [Timeout(120_000)]
    [DataRow(21)]
    [DataRow(22)]
    public void TryReadFrame_MutatedGeneratedStreams_StreamErrorsOnlyAndBoundedMemory(int fixedSeed)
    {
        var seed = FuzzSettings.Seed(fixedSeed);
        var random = new Random(seed);
        var generator = new RandomStreamGenerator(random);
        for (var i = 0; i < FuzzSettings.Iterations(1000); i++)
        {
            var input = MutateHarder(Encoding.UTF8.GetBytes(generator.Stream(maxStanzas: 8, out _)), random);
            var limits = random.Next(3) == 0
                ? new FramerLimits(MaxStanzaBytes: random.Next(1, 400), MaxDepth: random.Next(1, 8), MaxElements: random.Next(1, 20))
                : new FramerLimits();
            var context = Context(seed, i, input) + $" limits {limits}";

            var whole = FramerHarness.RunWhole(input, limits);
            // Measured on a second run: the first time an error path runs it may load resources (a one-off cost).
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            FramerHarness.RunWhole(input, limits);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.IsTrue(allocated < 256 * 1024 + 400L * input.Length, $"{allocated} bytes allocated for {input.Length} input bytes: {context}");

            var split = FramerHarness.RunRandom(input, random.Next(), maxRead: random.Next(1, 48), limits);
            Assert.AreEqual(whole.ToString(), split.ToString(), context);
            Assert.IsTrue(whole.Frames.Count <= input.Length + 2, "more frames than bytes: " + context);
            var hold = Math.Max(limits.MaxStanzaBytes, XmppStreamFramer.MaxStreamHeaderBytes);
            Assert.IsTrue(split.MaxLeftover <= hold, $"the framer left {split.MaxLeftover} bytes pending (limit {hold}): {context}");
        }
    }

    [TestMethod]
    [Timeout(60_000)]
    public void TryReadFrame_RandomBytesAfterHeader_OnlyStreamErrors()
    {
        var random = new Random(77);
        var header = Encoding.UTF8.GetBytes(XmppStreamFramerTests.Header);
        for (var i = 0; i < 500; i++)
        {
            var noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            var input = header.Concat(noise).ToArray();
            // Run catches only XmppStreamException: anything else fails the test.
            var whole = FramerHarness.RunWhole(input);
            Assert.AreEqual(whole.ToString(), FramerHarness.RunRandom(input, i).ToString());
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var count = random.Next(1, 4);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, (byte)Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes[at] = (byte)Interesting[random.Next(Interesting.Length)];
                    break;
                case 3:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 4:
                {
                    var length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                }
                default:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at));
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary><see cref="Mutate"/> plus bit flips, truncation and swapped chunks.</summary>
    private static byte[] MutateHarder(byte[] original, Random random)
    {
        var bytes = new List<byte>(Mutate(original, random));
        if (bytes.Count == 0) return [];
        switch (random.Next(4))
        {
            case 0:
                var at = random.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes = bytes.GetRange(0, random.Next(bytes.Count + 1));
                break;
            case 2 when bytes.Count > 4:
                var first = random.Next(bytes.Count / 2);
                var length = random.Next(1, Math.Min(40, bytes.Count - first) / 2 + 1);
                var a = bytes.GetRange(first, length);
                var b = bytes.GetRange(first + length, Math.Min(length, bytes.Count - first - length));
                bytes.RemoveRange(first, a.Count + b.Count);
                bytes.InsertRange(first, b.Concat(a));
                break;
            default:
                break;
        }
        return bytes.ToArray();
    }

    /// <summary>What a failure prints: the seed to rerun with (XMPPCONF_FUZZ_SEED), the iteration, and the input.</summary>
    private static string Context(int seed, int iteration, byte[] input) =>
        $"seed {seed} ({FuzzSettings.SeedVariable}={seed}) iteration {iteration}, input base64 {Convert.ToBase64String(input)}: {Encoding.UTF8.GetString(input)}";

    /// <summary>
    /// A stream the framer reads to its close must be a well-formed document with the same elements; a document
    /// XmlReader accepts may only be refused for XMPP's own reasons, never as not-well-formed or badly encoded.
    /// </summary>
    private static void CheckAgainstXmlReader(byte[] input, FramerHarness.Outcome outcome, string context)
    {
        XDocument? document = null;
        try
        {
            using var stream = new MemoryStream(input);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = false,
                CheckCharacters = true,
            });
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
        }

        var closed = outcome.Error is null && outcome.Frames.Count > 0 && outcome.Frames[^1].StartsWith("StreamClose", StringComparison.Ordinal);
        if (closed)
        {
            Assert.IsNotNull(document, "framer accepted a stream XmlReader refuses: " + context);
            var expected = document.Root!.Elements().Select(Canonical).ToList();
            var actual = ParseStanzas(input).Select(Canonical).ToList();
            CollectionAssert.AreEqual(expected, actual, context);
        }
        else if (document is not null && outcome.Error is { } error && input.AsSpan().StartsWith("<?xml version='1.0'?><"u8))
        {
            // Only when the declaration is intact: XmlReader is laxer than XML 1.0 §2.8 there (it takes version='1.0:'),
            // and the framer tolerates whitespace before it.
            CollectionAssert.Contains(XmppOnlyConditions, error, context);
        }
    }

    private static List<XElement> ParseStanzas(byte[] input)
    {
        var harness = new FramerHarness();
        harness.Feed(input);
        return harness.Frames.Where(f => f.Kind == FrameKind.Stanza).Select(f => f.Element!).ToList();
    }

    /// <summary>Names, attributes and text with adjacent text and CDATA merged, as the framer merges them.</summary>
    private static string Canonical(XElement element)
    {
        var sb = new StringBuilder();
        Append(element, sb);
        return sb.ToString();

        static void Append(XElement e, StringBuilder sb)
        {
            sb.Append('<').Append(e.Name);
            foreach (var a in e.Attributes())
            {
                sb.Append(' ').Append(a.Name).Append("=\"").Append(a.Value).Append('"');
            }
            sb.Append('>');
            foreach (var node in e.Nodes())
            {
                switch (node)
                {
                    case XElement child: Append(child, sb); break;
                    case XText text: sb.Append(text.Value); break;
                }
            }
            sb.Append("</>");
        }
    }
}
