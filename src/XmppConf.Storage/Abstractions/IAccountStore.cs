namespace XmppConf.Storage.Abstractions;

/// <summary>
/// Durable store of local accounts. Keys are bare JIDs already normalised by the caller
/// (RFC 7622); the store compares them ordinally. At most one key set per hash name.
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates the account; false if an account with that bare JID already exists.</summary>
    Task<bool> CreateAsync(AccountRecord account, CancellationToken ct = default);

    /// <summary>
    /// Creates every account that does not exist yet and returns how many were created; existing
    /// ones are left as they are. A durable store does it in one transaction, so bulk set-up
    /// (benchmarks, imports) pays one commit instead of one per account.
    /// </summary>
    async Task<int> CreateManyAsync(IReadOnlyList<AccountRecord> accounts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var created = 0;
        foreach (var account in accounts)
        {
            if (await CreateAsync(account, ct).ConfigureAwait(false)) created++;
        }
        return created;
    }

    Task<AccountRecord?> FindAsync(string bareJid, CancellationToken ct = default);

    /// <summary>Replaces all key sets (password change); false if the account does not exist.</summary>
    Task<bool> UpdateKeysAsync(string bareJid, IReadOnlyList<StoredScramKey> keys, CancellationToken ct = default);

    /// <summary>
    /// Deletes the account together with the data it owns: its roster (items and version
    /// counter) and its queued offline messages. Entries naming this JID in other users'
    /// rosters are left alone: the server cancels those subscriptions with presence so the
    /// other users get roster pushes (XEP-0077 §3.2). False if the account did not exist.
    /// </summary>
    Task<bool> DeleteAsync(string bareJid, CancellationToken ct = default);

    /// <summary>All bare JIDs, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default);
}
