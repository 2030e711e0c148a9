using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>A fresh, empty set of durable stores for one test, and how to dispose of it.</summary>
public sealed class StoreSet(IAccountStore accounts, IRosterStore rosters, IOfflineStore offline, Func<ValueTask> dispose) : IAsyncDisposable
{
    public IAccountStore Accounts { get; } = accounts;

    public IRosterStore Rosters { get; } = rosters;

    public IOfflineStore Offline { get; } = offline;

    public ValueTask DisposeAsync() => dispose();
}
