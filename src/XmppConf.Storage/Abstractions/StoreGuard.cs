namespace XmppConf.Storage.Abstractions;

/// <summary>Argument checks shared by every adapter, so they all reject the same inputs the same way.</summary>
internal static class StoreGuard
{
    public static void Jid(string jid, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(jid, paramName);
    }

    public static void Account(AccountRecord account)
    {
        ArgumentNullException.ThrowIfNull(account);
        Jid(account.BareJid, nameof(account.BareJid));
        Keys(account.Keys);
    }

    /// <summary>One key set per hash: the hash name is the key of the credential table.</summary>
    public static void Keys(IReadOnlyList<StoredScramKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i] ?? throw new ArgumentException("A SCRAM key set is null.", nameof(keys));
            ArgumentException.ThrowIfNullOrEmpty(key.Hash, nameof(keys));
            if (key.Salt is null || key.StoredKey is null || key.ServerKey is null)
            {
                throw new ArgumentException($"The {key.Hash} key set has a null array.", nameof(keys));
            }
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(key.Iterations, nameof(keys));
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(keys[j].Hash, key.Hash, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Two key sets for hash {key.Hash}.", nameof(keys));
                }
            }
        }
    }

    public static void RosterItem(RosterItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Jid(item.ContactJid, nameof(item.ContactJid));
        ArgumentNullException.ThrowIfNull(item.Groups, nameof(item.Groups));
        for (var i = 0; i < item.Groups.Count; i++)
        {
            if (item.Groups[i] is null)
            {
                throw new ArgumentException("A roster group name is null.", nameof(item));
            }
        }
    }

    public static void Session(SessionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Jid(entry.FullJid, nameof(entry.FullJid));
        ArgumentNullException.ThrowIfNull(entry.NodeId, nameof(entry.NodeId));
    }

    /// <summary>RFC 7622 §3.1: the resource starts after the first '/', which no bare JID contains.</summary>
    public static string BareOf(string fullJid)
    {
        var slash = fullJid.IndexOf('/');
        return slash < 0 ? fullJid : fullJid[..slash];
    }
}
