using System.Collections.Concurrent;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.InMemory;

/// <summary>
/// Rosters in memory: one small dictionary per owner guarded by its own lock, so owners never
/// contend with each other and each owner's item change and version bump are one atomic step.
/// </summary>
public sealed class InMemoryRosterStore : IRosterStore
{
    private readonly ConcurrentDictionary<string, OwnerRoster> _owners = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<RosterItem>> GetAllAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<RosterItem>>(ct);
        }
        if (!_owners.TryGetValue(ownerBareJid, out var roster))
        {
            return Task.FromResult<IReadOnlyList<RosterItem>>([]);
        }
        lock (roster)
        {
            var items = new RosterItem[roster.Items.Count];
            roster.Items.Values.CopyTo(items, 0);
            return Task.FromResult<IReadOnlyList<RosterItem>>(items);
        }
    }

    public Task<RosterItem?> GetAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.Jid(contactBareJid, nameof(contactBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<RosterItem?>(ct);
        }
        if (!_owners.TryGetValue(ownerBareJid, out var roster))
        {
            return Task.FromResult<RosterItem?>(null);
        }
        lock (roster)
        {
            return Task.FromResult(roster.Items.GetValueOrDefault(contactBareJid));
        }
    }

    public Task<long> SetAsync(string ownerBareJid, RosterItem item, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.RosterItem(item);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(ct);
        }
        // Own copy of the groups: the caller's list may be mutable.
        var stored = item with { Groups = item.Groups.ToArray() };
        var roster = _owners.GetOrAdd(ownerBareJid, static _ => new OwnerRoster());
        lock (roster)
        {
            roster.Items[item.ContactJid] = stored;
            return Task.FromResult(++roster.Version);
        }
    }

    public Task<long> RemoveAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.Jid(contactBareJid, nameof(contactBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(ct);
        }
        if (!_owners.TryGetValue(ownerBareJid, out var roster))
        {
            return CompletedTasks.ZeroLong;
        }
        lock (roster)
        {
            if (roster.Items.Remove(contactBareJid))
            {
                roster.Version++;
            }
            return Task.FromResult(roster.Version);
        }
    }

    public Task<long> GetVersionAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(ct);
        }
        if (!_owners.TryGetValue(ownerBareJid, out var roster))
        {
            return CompletedTasks.ZeroLong;
        }
        lock (roster)
        {
            return Task.FromResult(roster.Version);
        }
    }

    public Task<int> CountAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(ct);
        }
        if (!_owners.TryGetValue(ownerBareJid, out var roster))
        {
            return CompletedTasks.Zero;
        }
        lock (roster)
        {
            return Task.FromResult(roster.Items.Count);
        }
    }

    /// <summary>Account deletion: drops the owner's items and version counter.</summary>
    internal void RemoveOwner(string ownerBareJid) => _owners.TryRemove(ownerBareJid, out _);

    private sealed class OwnerRoster
    {
        public readonly Dictionary<string, RosterItem> Items = new(StringComparer.Ordinal);
        public long Version;
    }
}
