using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Server.Options;

namespace XmppConf.Server.Tests.Options;

[TestClass]
public sealed class OptionsValidationTests
{
    [TestMethod]
    public void Server_Defaults_Valid() => Assert.IsTrue(new ServerOptionsValidator().Validate(null, new ServerOptions()).Succeeded);

    [DataTestMethod]
    [DataRow("not a domain", "Server:Domain")]
    [DataRow("a@b", "Server:Domain")]
    public void Server_BadDomain_NamesField(string domain, string field)
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { Domain = domain });
        Assert.IsTrue(result.Failed);
        StringAssert.Contains(result.FailureMessage, field);
    }

    [TestMethod]
    public void Server_BadPortAndAdmin_NamesEachField()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { C2sPort = 70000, Admins = ["alice@localhost", "not/bare@x"] });
        StringAssert.Contains(result.FailureMessage, "Server:C2sPort");
        StringAssert.Contains(result.FailureMessage, "Server:Admins:1");
        Assert.IsFalse(result.FailureMessage.Contains("Server:Admins:0"));
    }

    [TestMethod]
    public void Auth_TooFewIterationsOrUnknownMechanism_Fails()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { ScramIterations = 1000, Mechanisms = ["DIGEST-MD5"] });
        StringAssert.Contains(result.FailureMessage, "Auth:ScramIterations");
        StringAssert.Contains(result.FailureMessage, "Auth:Mechanisms:0");
    }

    [TestMethod]
    public void Limits_QueueSmallerThanStanza_Fails()
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions { OutboundQueueBytes = 20_000, MaxStanzaBytes = 100_000 });
        StringAssert.Contains(result.FailureMessage, "Limits:OutboundQueueBytes");
    }

    [TestMethod]
    public void LimitsAndAuth_Defaults_Valid()
    {
        Assert.IsTrue(new LimitsOptionsValidator().Validate(null, new LimitsOptions()).Succeeded);
        Assert.IsTrue(new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded);
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(1_000_001)]
    public void Limits_MaxDistinctXmlNamesOutOfRange_NamesField(int value)
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions { MaxDistinctXmlNames = value });
        StringAssert.Contains(result.FailureMessage, "Limits:MaxDistinctXmlNames");
        Assert.IsTrue(new LimitsOptionsValidator().Validate(null, new LimitsOptions { MaxDistinctXmlNames = 0 }).Succeeded);
    }

    [TestMethod]
    public void Limits_NegativePerAddressLimitsOrTinyBurst_NameEachField()
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions
        {
            MaxConnectionsPerIp = -1,
            MaxConnectionAttemptsPerIpPerMinute = -1,
            InboundBytesPerSecond = -1,
            InboundBurstBytes = 10,
        });
        StringAssert.Contains(result.FailureMessage, "Limits:MaxConnectionsPerIp");
        StringAssert.Contains(result.FailureMessage, "Limits:MaxConnectionAttemptsPerIpPerMinute");
        StringAssert.Contains(result.FailureMessage, "Limits:InboundBytesPerSecond");
        StringAssert.Contains(result.FailureMessage, "Limits:InboundBurstBytes");
    }

    [TestMethod]
    public void Auth_BadBanSettings_NameEachField()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { FailedAuthBanThreshold = -1, FailedAuthBanSeconds = 0 });
        StringAssert.Contains(result.FailureMessage, "Auth:FailedAuthBanThreshold");
        StringAssert.Contains(result.FailureMessage, "Auth:FailedAuthBanSeconds");
    }

    [TestMethod]
    public void Tls_MissingCertificateFile_Fails()
    {
        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { CertificatePath = "/nonexistent/cert.pfx" });
        StringAssert.Contains(result.FailureMessage, "Tls:CertificatePath");
    }
}
