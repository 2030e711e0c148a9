namespace XmppConf.Storage.InMemory;

/// <summary>Cached completed tasks, so the synchronous in-memory adapters do not allocate one per call.</summary>
internal static class CompletedTasks
{
    public static readonly Task<bool> True = Task.FromResult(true);
    public static readonly Task<bool> False = Task.FromResult(false);
    public static readonly Task<int> Zero = Task.FromResult(0);
    public static readonly Task<long> ZeroLong = Task.FromResult(0L);

    public static Task<bool> Of(bool value) => value ? True : False;
}
