using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Sasl;

namespace XmppConf.Core.Tests.Sasl;

[TestClass]
public sealed class SaslFailureNamesTests
{
    // RFC 6120 §6.5 condition element names.
    [TestMethod]
    [DataRow(SaslFailure.Aborted, "aborted")]
    [DataRow(SaslFailure.AccountDisabled, "account-disabled")]
    [DataRow(SaslFailure.CredentialsExpired, "credentials-expired")]
    [DataRow(SaslFailure.EncryptionRequired, "encryption-required")]
    [DataRow(SaslFailure.IncorrectEncoding, "incorrect-encoding")]
    [DataRow(SaslFailure.InvalidAuthzid, "invalid-authzid")]
    [DataRow(SaslFailure.InvalidMechanism, "invalid-mechanism")]
    [DataRow(SaslFailure.MalformedRequest, "malformed-request")]
    [DataRow(SaslFailure.MechanismTooWeak, "mechanism-too-weak")]
    [DataRow(SaslFailure.NotAuthorized, "not-authorized")]
    [DataRow(SaslFailure.TemporaryAuthFailure, "temporary-auth-failure")]
    public void ToXmlName_EachCondition_Rfc6120Name(SaslFailure failure, string expected)
    {
        Assert.AreEqual(expected, failure.ToXmlName());
    }

    [TestMethod]
    public void ToXmlName_EveryValue_HasDistinctName()
    {
        var names = new HashSet<string>();
        foreach (var failure in Enum.GetValues<SaslFailure>())
        {
            Assert.IsTrue(names.Add(failure.ToXmlName()), failure.ToString());
        }
        Assert.AreEqual(11, names.Count);
    }
}
