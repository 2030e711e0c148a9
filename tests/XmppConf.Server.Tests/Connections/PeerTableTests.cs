using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Connections;
using XmppConf.Server.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace XmppConf.Server.Tests.Connections;

/// <summary>The table's memory bound: however many addresses knock, it tracks at most <see cref="PeerTable.MaxTrackedAddresses"/>.</summary>
[TestClass]
public sealed class PeerTableTests
{
    [TestMethod]
    public void Admit_ManyAddressesComeAndGo_TableSweptBackDown()
    {
        var table = NewTable(attemptsPerMinute: 0);
        for (var i = 0; i < PeerTable.MaxTrackedAddresses + 10; i++)
        {
            Assert.AreEqual(Admission.Admitted, table.Admit(AddressNumber(i), out var record));
            record?.Release();
        }
        Assert.IsTrue(table.Count <= 10, $"closed connections with nothing left to count were swept ({table.Count} left)");
    }

    [TestMethod]
    public void Admit_TableFullOfOpenConnections_NewAddressAdmittedUntracked()
    {
        var table = NewTable(attemptsPerMinute: 120);
        for (var i = 0; i < PeerTable.MaxTrackedAddresses; i++) table.Admit(AddressNumber(i), out _);
        Assert.AreEqual(PeerTable.MaxTrackedAddresses, table.Count);

        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("2001:db8::ffff:1"), out var record));
        Assert.IsNull(record, "no room to track it: admitted rather than refused, so a flood cannot lock others out");
        Assert.AreEqual(PeerTable.MaxTrackedAddresses, table.Count);
    }

    [TestMethod]
    public void Admit_Ipv6AddressesCountedPerSlash64ByDefault()
    {
        var table = NewTable(attemptsPerMinute: 0, maxConnections: 1);
        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("2001:db8:0:1::1"), out _));
        Assert.AreEqual(Admission.TooManyConnections, table.Admit(IPAddress.Parse("2001:db8:0:1:ffff:ffff:ffff:ffff"), out _), "same /64");
        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("2001:db8:0:2::1"), out _), "another /64");
        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("192.0.2.1"), out _));
        Assert.AreEqual(Admission.TooManyConnections, table.Admit(IPAddress.Parse("::ffff:192.0.2.1"), out _), "an IPv4-mapped address is the IPv4 address");
    }

    [TestMethod]
    public void Admit_Ipv6PrefixLength128_AddressesCountedOneByOne()
    {
        var table = NewTable(attemptsPerMinute: 0, maxConnections: 1, ipv6PrefixLength: 128);
        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("2001:db8::1"), out _));
        Assert.AreEqual(Admission.Admitted, table.Admit(IPAddress.Parse("2001:db8::2"), out _));
        Assert.AreEqual(Admission.TooManyConnections, table.Admit(IPAddress.Parse("2001:db8::1"), out _));
    }

    [TestMethod]
    public void PeerKey_OddPrefix_MasksWithinAByte()
    {
        Assert.AreEqual(IPAddress.Parse("2001:db8:8000::"), PeerKey.Of(IPAddress.Parse("2001:db8:80ff:1234::9"), 33));
        Assert.AreEqual(IPAddress.Parse("2001:db8::"), PeerKey.Of(IPAddress.Parse("2001:db8::ffff"), 64));
    }

    private static PeerTable NewTable(int attemptsPerMinute, int maxConnections = 50, int ipv6PrefixLength = 64) =>
        new(MsOptions.Create(new LimitsOptions { MaxConnectionsPerIp = maxConnections, MaxConnectionAttemptsPerIpPerMinute = attemptsPerMinute, Ipv6PrefixLength = ipv6PrefixLength }),
            MsOptions.Create(new AuthOptions()), NullLogger<PeerTable>.Instance);

    private static IPAddress AddressNumber(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
}
