using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// Accounts in a concurrent dictionary. Records are copied in and out (arrays included), so a
/// caller mutating a key array cannot change what is stored, as with a durable store. Given the
/// roster and offline stores, <see cref="DeleteAsync"/> also drops the account's data there.
/// </summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly ConcurrentDictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);
    private readonly InMemoryRosterStore? _rosters;
    private readonly InMemoryOfflineStore? _offline;

    public InMemoryAccountStore()
        : this(null, null)
    {
    }

    public InMemoryAccountStore(InMemoryRosterStore? rosters, InMemoryOfflineStore? offline)
    {
        _rosters = rosters;
        _offline = offline;
    }

    public Task<bool> CreateAsync(AccountRecord account, CancellationToken ct = default)
    {
        StoreGuard.Account(account);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        var copy = new AccountRecord(account.BareJid, CopyKeys(account.Keys), account.CreatedAt);
        return CompletedTasks.Of(_accounts.TryAdd(account.BareJid, copy));
    }

    public Task<AccountRecord?> FindAsync(string bareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<AccountRecord?>(ct);
        }
        return Task.FromResult(_accounts.TryGetValue(bareJid, out var found)
            ? found with { Keys = CopyKeys(found.Keys) }
            : null);
    }

    public Task<bool> UpdateKeysAsync(string bareJid, IReadOnlyList<StoredScramKey> keys, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        StoreGuard.Keys(keys);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        var copy = CopyKeys(keys);
        while (_accounts.TryGetValue(bareJid, out var current))
        {
            // Compare-and-swap so a concurrent delete is not undone by this update.
            if (_accounts.TryUpdate(bareJid, current with { Keys = copy }, current))
            {
                return CompletedTasks.True;
            }
        }
        return CompletedTasks.False;
    }

    public Task<bool> DeleteAsync(string bareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(bareJid, nameof(bareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(ct);
        }
        var removed = _accounts.TryRemove(bareJid, out _);
        // Owned data goes even when the account row was already gone, so no orphans stay behind.
        _rosters?.RemoveOwner(bareJid);
        _offline?.RemoveUser(bareJid);
        return CompletedTasks.Of(removed);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<string>>(ct);
        }
        var jids = _accounts.Keys.ToArray();
        Array.Sort(jids, StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(jids);
    }

    private static StoredScramKey[] CopyKeys(IReadOnlyList<StoredScramKey> keys)
    {
        var copy = new StoredScramKey[keys.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var key = keys[i];
            copy[i] = key with
            {
                Salt = (byte[])key.Salt.Clone(),
                StoredKey = (byte[])key.StoredKey.Clone(),
                ServerKey = (byte[])key.ServerKey.Clone(),
            };
        }
        return copy;
    }
}
