using System.Security.Cryptography;
using XmppConf.Core.Addressing;
using XmppConf.Core.Sasl;
using XmppConf.Server.Accounts;

namespace XmppConf.Server.Negotiation;

/// <summary>The outcome of one SASL step (RFC 6120 §6.4): a challenge, success with its additional data, or a failure.</summary>
internal readonly record struct SaslStep(SaslStepKind Kind, byte[]? Data = null, SaslFailure Failure = default, Jid? User = null)
{
    public static SaslStep Challenge(byte[] data) => new(SaslStepKind.Challenge, data);
    public static SaslStep Succeeded(Jid user, byte[]? data) => new(SaslStepKind.Success, data, User: user);
    public static SaslStep Failed(SaslFailure failure) => new(SaslStepKind.Failure, Failure: failure);
}

internal enum SaslStepKind { Challenge, Success, Failure }

/// <summary>
/// One SASL exchange on a stream: SCRAM-SHA-256, SCRAM-SHA-1 or PLAIN. Looks the account up
/// between the client-first and server-first messages; unknown accounts get a plausible
/// server-first so account names cannot be probed.
/// </summary>
internal sealed class SaslNegotiation
{
    private static ScramCredentials? s_decoy;
    private readonly AccountService _accounts;
    private readonly string _domain;
    private readonly byte[] _secret;
    private readonly int _iterations;
    private ScramServerExchange? _scram;
    private bool _awaitingClientFirst;
    private bool _awaitingPlain;
    private Jid? _user;

    public SaslNegotiation(AccountService accounts, string domain, byte[] secret, int iterations)
    {
        _accounts = accounts;
        _domain = domain;
        _secret = secret;
        _iterations = iterations;
    }

    public async Task<SaslStep> StartAsync(string mechanism, byte[]? initialResponse, CancellationToken ct)
    {
        switch (mechanism)
        {
            case "SCRAM-SHA-256":
            case "SCRAM-SHA-1":
                // Unknown accounts get fake salts derived from the installation secret, with the real iteration count.
                _scram = new ScramServerExchange(mechanism == "SCRAM-SHA-1" ? ScramHash.Sha1 : ScramHash.Sha256, null, _secret, _iterations);
                if (initialResponse is null || initialResponse.Length == 0)
                {
                    // RFC 6120 §6.4.2: no initial response → empty challenge, the client-first comes as <response/>.
                    _awaitingClientFirst = true;
                    return SaslStep.Challenge([]);
                }
                return await ClientFirstAsync(initialResponse, ct).ConfigureAwait(false);
            case "PLAIN":
                if (initialResponse is null)
                {
                    // RFC 6120 §6.4.2: no initial response → empty challenge, the credentials come as <response/>.
                    _awaitingPlain = true;
                    return SaslStep.Challenge([]);
                }
                return await PlainAsync(initialResponse, ct).ConfigureAwait(false);
            default:
                return SaslStep.Failed(SaslFailure.InvalidMechanism);
        }
    }

    public async Task<SaslStep> RespondAsync(byte[] response, CancellationToken ct)
    {
        if (_awaitingPlain)
        {
            _awaitingPlain = false;
            return await PlainAsync(response, ct).ConfigureAwait(false);
        }
        if (_scram is null) return SaslStep.Failed(SaslFailure.MalformedRequest);
        if (_awaitingClientFirst)
        {
            _awaitingClientFirst = false;
            return await ClientFirstAsync(response, ct).ConfigureAwait(false);
        }
        var failure = _scram.ReadClientFinal(response);
        if (failure is { } f || _user is null) return SaslStep.Failed(failure ?? SaslFailure.NotAuthorized);
        return SaslStep.Succeeded(_user, _scram.ServerFinal);
    }

    private async Task<SaslStep> ClientFirstAsync(byte[] message, CancellationToken ct)
    {
        var scram = _scram!;
        if (scram.ReadClientFirst(message) is { } failure) return SaslStep.Failed(failure);
        var user = ToUser(scram.Username);
        if (user is not null && !AuthzidMatches(scram.Authzid, user)) return SaslStep.Failed(SaslFailure.InvalidAuthzid);
        var hash = scram.MechanismName == "SCRAM-SHA-1" ? ScramHash.Sha1 : ScramHash.Sha256;
        var credentials = user is null ? null : await _accounts.GetCredentialsAsync(user, hash, ct).ConfigureAwait(false);
        _user = credentials is null ? null : user;
        return SaslStep.Challenge(scram.WriteServerFirst(credentials));
    }

    private async Task<SaslStep> PlainAsync(byte[] message, CancellationToken ct)
    {
        if (PlainMessage.TryParse(message, out var authzid, out var authcid, out var password) is { } failure) return SaslStep.Failed(failure);
        var user = ToUser(authcid);
        if (user is null) return SaslStep.Failed(SaslFailure.NotAuthorized);
        if (!AuthzidMatches(authzid, user)) return SaslStep.Failed(SaslFailure.InvalidAuthzid);
        var credentials = await _accounts.GetCredentialsAsync(user, ScramHash.Sha256, ct).ConfigureAwait(false);
        // An unknown account still costs one PBKDF2, so the answer's timing does not tell which accounts exist.
        var verified = (credentials ?? Decoy()).VerifyPassword(password);
        return credentials is not null && verified
            ? SaslStep.Succeeded(user, null)
            : SaslStep.Failed(SaslFailure.NotAuthorized);
    }

    /// <summary>A credential no password matches, at the configured iteration count; made once per process.</summary>
    private ScramCredentials Decoy()
    {
        var decoy = Volatile.Read(ref s_decoy);
        if (decoy is null || decoy.Iterations != _iterations)
        {
            decoy = ScramCredentials.Create(ScramHash.Sha256, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), _iterations);
            Volatile.Write(ref s_decoy, decoy);
        }
        return decoy;
    }

    /// <summary>The SASL username is the localpart of an account on our domain (RFC 6120 §6.3.8).</summary>
    private Jid? ToUser(string? username)
    {
        if (string.IsNullOrEmpty(username)) return null;
        try { return Jid.Create(username, _domain); }
        catch (FormatException) { return null; }
    }

    /// <summary>RFC 6120 §6.3.8: an authzid other than the authenticated account's bare JID is refused.</summary>
    private static bool AuthzidMatches(string? authzid, Jid user) =>
        string.IsNullOrEmpty(authzid) || (Jid.TryParse(authzid, out var requested) && requested.Equals(user.Bare));
}
