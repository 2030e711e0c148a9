using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Sasl;
using XmppConf.Server.Options;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Accounts;

/// <summary>
/// Accounts as the server and the CLI see them. Passwords never reach the store: only SCRAM salted
/// keys for SHA-1 and SHA-256 (RFC 5802/7677), derived with PBKDF2 at the configured iterations.
/// </summary>
public sealed class AccountService
{
    private readonly IAccountStore _store;
    private readonly int _iterations;

    public AccountService(IAccountStore store, IOptions<AuthOptions> auth)
    {
        _store = store;
        _iterations = auth.Value.ScramIterations;
    }

    public Task<bool> CreateAsync(Jid bare, string password, CancellationToken ct = default) =>
        _store.CreateAsync(new AccountRecord(bare.Bare.ToString(), DeriveKeys(password), DateTimeOffset.UtcNow), ct);

    /// <summary>
    /// Creates the accounts that do not exist yet in one store transaction; returns how many were
    /// created. Key derivation (PBKDF2, the slow part) runs on all cores first.
    /// </summary>
    public Task<int> CreateManyAsync(IReadOnlyList<(Jid Bare, string Password)> accounts, CancellationToken ct = default)
    {
        var records = new AccountRecord[accounts.Count];
        var now = DateTimeOffset.UtcNow;
        Parallel.For(0, accounts.Count, new ParallelOptions { CancellationToken = ct }, i =>
            records[i] = new AccountRecord(accounts[i].Bare.Bare.ToString(), DeriveKeys(accounts[i].Password), now));
        return _store.CreateManyAsync(records, ct);
    }

    public Task<bool> SetPasswordAsync(Jid bare, string password, CancellationToken ct = default) =>
        _store.UpdateKeysAsync(bare.Bare.ToString(), DeriveKeys(password), ct);

    public Task<bool> DeleteAsync(Jid bare, CancellationToken ct = default) => _store.DeleteAsync(bare.Bare.ToString(), ct);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) => _store.ListAsync(ct);

    public async Task<bool> ExistsAsync(Jid bare, CancellationToken ct = default) =>
        await _store.FindAsync(bare.Bare.ToString(), ct).ConfigureAwait(false) is not null;

    /// <summary>The SCRAM keys for one hash, or null when the account does not exist.</summary>
    public async Task<ScramCredentials?> GetCredentialsAsync(Jid bare, ScramHash hash, CancellationToken ct = default)
    {
        var account = await _store.FindAsync(bare.Bare.ToString(), ct).ConfigureAwait(false);
        if (account is null) return null;
        var name = HashName(hash);
        foreach (var key in account.Keys)
        {
            if (key.Hash == name) return new ScramCredentials(hash, key.Salt, key.Iterations, key.StoredKey, key.ServerKey);
        }
        return null;
    }

    private IReadOnlyList<StoredScramKey> DeriveKeys(string password) =>
    [
        ToStored(ScramCredentials.Create(ScramHash.Sha1, password, _iterations)),
        ToStored(ScramCredentials.Create(ScramHash.Sha256, password, _iterations)),
    ];

    private static StoredScramKey ToStored(ScramCredentials c) => new(HashName(c.Hash), c.Salt, c.Iterations, c.StoredKey, c.ServerKey);

    private static string HashName(ScramHash hash) => hash == ScramHash.Sha1 ? "SHA-1" : "SHA-256";
}
