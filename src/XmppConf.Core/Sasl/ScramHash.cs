namespace XmppConf.Core.Sasl;

/// <summary>The hash behind a SCRAM mechanism: SCRAM-SHA-1 (RFC 5802) or SCRAM-SHA-256 (RFC 7677).</summary>
public enum ScramHash
{
    Sha1,
    Sha256,
}
