using XmppConf.Storage.InMemory;
using XmppConf.Storage.Tests.Abstractions;

namespace XmppConf.Storage.Tests.InMemory;

internal static class InMemoryStores
{
    /// <summary>The three in-memory stores wired so account deletion reaches roster and offline data.</summary>
    public static StoreSet Open()
    {
        var rosters = new InMemoryRosterStore();
        var offline = new InMemoryOfflineStore();
        return new StoreSet(new InMemoryAccountStore(rosters, offline), rosters, offline, () => ValueTask.CompletedTask);
    }
}
