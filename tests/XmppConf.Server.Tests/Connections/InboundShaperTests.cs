using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Connections;

namespace XmppConf.Server.Tests.Connections;

/// <summary>The token bucket on an explicit clock (milliseconds): no sleeping, no timing.</summary>
[TestClass]
public sealed class InboundShaperTests
{
    [TestMethod]
    public void Admit_WithinBurst_AdmitsAll()
    {
        var shaper = new InboundShaper(bytesPerSecond: 10_000, burstBytes: 50_000, now: 0);
        Assert.AreEqual(30_000, shaper.Admit(30_000, now: 0));
        Assert.AreEqual(20_000, shaper.Admit(20_000, now: 0));
    }

    [TestMethod]
    public void Admit_OverBurst_HoldsBackTheRestUntilRefilled()
    {
        var shaper = new InboundShaper(bytesPerSecond: 10_000, burstBytes: 50_000, now: 0);
        Assert.AreEqual(50_000, shaper.Admit(80_000, now: 0));
        Assert.AreEqual(0, shaper.Admit(30_000, now: 0));
        // One second later, one second's worth: 10,000 bytes.
        Assert.AreEqual(10_000, shaper.Admit(30_000, now: 1000));
    }

    [TestMethod]
    public void Admit_LongQuiet_RefillsOnlyUpToBurst()
    {
        var shaper = new InboundShaper(bytesPerSecond: 10_000, burstBytes: 50_000, now: 0);
        shaper.Admit(50_000, now: 0);
        Assert.AreEqual(50_000, shaper.Admit(1_000_000, now: 3_600_000));
    }

    [TestMethod]
    public void Admit_SustainedFlood_ProcessesAtMostBurstPlusRateTimesTime()
    {
        var shaper = new InboundShaper(bytesPerSecond: 10_000, burstBytes: 20_000, now: 0);
        long admitted = 0;
        long now = 0;
        for (var read = 0; read < 1000; read++)
        {
            // A reader that reads 64 KiB whenever it may, and waits exactly as long as told to.
            var taken = shaper.Admit(65_536, now);
            admitted += taken;
            if (taken < 65_536) now += shaper.PauseFor(65_536 - taken);
        }
        Assert.IsTrue(admitted <= 20_000 + 10_000 * now / 1000 + 1, $"{admitted} bytes in {now} ms");
        Assert.IsTrue(admitted >= 10_000 * now / 1000, $"the rate is also reached: {admitted} bytes in {now} ms");
    }

    [TestMethod]
    public void PauseFor_HeldBack_WaitsAboutATenthOfASecond()
    {
        var shaper = new InboundShaper(bytesPerSecond: 10_000, burstBytes: 20_000, now: 0);
        shaper.Admit(1_000_000, now: 0);
        Assert.AreEqual(103, shaper.PauseFor(1_000_000)); // 1024 bytes (the minimum resume chunk) at 10 bytes/ms
        Assert.AreEqual(50, shaper.PauseFor(500));
    }

    [TestMethod]
    public void Admit_Disabled_AdmitsEverything()
    {
        var shaper = new InboundShaper(bytesPerSecond: 0, burstBytes: 1024, now: 0);
        Assert.IsFalse(shaper.Enabled);
        Assert.AreEqual(10_000_000, shaper.Admit(10_000_000, now: 0));
    }
}
