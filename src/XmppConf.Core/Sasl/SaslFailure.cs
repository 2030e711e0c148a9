namespace XmppConf.Core.Sasl;

/// <summary>The SASL failure conditions of RFC 6120 §6.5.</summary>
public enum SaslFailure
{
    Aborted,
    AccountDisabled,
    CredentialsExpired,
    EncryptionRequired,
    IncorrectEncoding,
    InvalidAuthzid,
    InvalidMechanism,
    MalformedRequest,
    MechanismTooWeak,
    NotAuthorized,
    TemporaryAuthFailure,
}
