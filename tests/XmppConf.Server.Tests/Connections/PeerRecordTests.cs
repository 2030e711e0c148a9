using System.Net;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Connections;

namespace XmppConf.Server.Tests.Connections;

/// <summary>Per-address decisions on an explicit clock (milliseconds).</summary>
[TestClass]
public sealed class PeerRecordTests
{
    private static readonly IPAddress Address = IPAddress.Parse("2001:db8::1");

    [TestMethod]
    public void TryAdmit_AtConnectionLimit_RefusesUntilOneIsReleased()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 2, AttemptsPerMinute: 0, BanThreshold: 0, BanMilliseconds: 1000), now: 0);
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(0));
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(0));
        Assert.AreEqual(Admission.TooManyConnections, record.TryAdmit(0));
        record.Release();
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(0));
    }

    [TestMethod]
    public void TryAdmit_AttemptsPerMinute_RefusesThenRefillsOverTheMinute()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 0, AttemptsPerMinute: 6, BanThreshold: 0, BanMilliseconds: 1000), now: 0);
        for (var i = 0; i < 6; i++) Assert.AreEqual(Admission.Admitted, record.TryAdmit(0));
        Assert.AreEqual(Admission.TooManyAttempts, record.TryAdmit(0));
        Assert.AreEqual(Admission.TooManyAttempts, record.TryAdmit(9_000));
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(10_000), "6 a minute: one more every 10 s");
        Assert.AreEqual(Admission.TooManyAttempts, record.TryAdmit(10_000));
    }

    [TestMethod]
    public void RecordAuthFailure_ThresholdReached_BansForTheConfiguredTime()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 0, AttemptsPerMinute: 0, BanThreshold: 3, BanMilliseconds: 60_000), now: 0);
        Assert.IsFalse(record.RecordAuthFailure(1));
        Assert.IsFalse(record.RecordAuthFailure(2));
        Assert.IsTrue(record.RecordAuthFailure(3), "the third failure starts the ban");
        Assert.AreEqual(60_003, record.BannedUntil(4));
        Assert.AreEqual(Admission.Banned, record.TryAdmit(4));
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(60_003));
        Assert.IsNull(record.BannedUntil(60_003));
    }

    [TestMethod]
    public void RecordAuthFailure_SpreadOverMoreThanTheWindow_NoBan()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 0, AttemptsPerMinute: 0, BanThreshold: 3, BanMilliseconds: 60_000), now: 0);
        Assert.IsFalse(record.RecordAuthFailure(0));
        Assert.IsFalse(record.RecordAuthFailure(30_000));
        Assert.IsFalse(record.RecordAuthFailure(60_000), "the window restarted: this is the first failure of a new one");
        Assert.IsNull(record.BannedUntil(60_000));
    }

    [TestMethod]
    public void RecordAuthFailure_ThresholdZero_NeverBans()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 0, AttemptsPerMinute: 0, BanThreshold: 0, BanMilliseconds: 60_000), now: 0);
        for (var i = 0; i < 1000; i++) Assert.IsFalse(record.RecordAuthFailure(i));
        Assert.AreEqual(Admission.Admitted, record.TryAdmit(1000));
    }

    [TestMethod]
    public void TryRetire_OnlyWhenForgettingChangesNothing()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 5, AttemptsPerMinute: 60, BanThreshold: 2, BanMilliseconds: 10_000), now: 0);
        record.TryAdmit(0);
        Assert.IsFalse(record.TryRetire(0, evenWithHistory: true), "an open connection is never forgotten");
        record.Release();
        Assert.IsFalse(record.TryRetire(0, evenWithHistory: false), "the attempt still counts for a second");
        Assert.IsTrue(record.TryRetire(1000, evenWithHistory: false));
        Assert.IsNull(record.TryAdmit(1000), "a retired record admits nothing: the table is asked again");
    }

    [TestMethod]
    public void TryRetire_Banned_KeptEvenUnderPressure()
    {
        var record = new PeerRecord(Address, new PeerPolicy(MaxConnections: 5, AttemptsPerMinute: 0, BanThreshold: 1, BanMilliseconds: 10_000), now: 0);
        record.RecordAuthFailure(0);
        Assert.IsFalse(record.TryRetire(5_000, evenWithHistory: true));
        Assert.IsTrue(record.TryRetire(10_000, evenWithHistory: false));
    }
}
