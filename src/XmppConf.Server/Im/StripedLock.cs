namespace XmppConf.Server.Im;

/// <summary>
/// A fixed set of async locks picked by key hash: serialises work on the same account (or pair of
/// accounts) without a lock object per key. Unrelated keys may share a stripe, which only costs
/// waiting. Whoever takes two stripes takes them in index order, so no two holders deadlock.
/// </summary>
internal sealed class StripedLock
{
    private readonly SemaphoreSlim[] _stripes;

    public StripedLock(int count)
    {
        _stripes = new SemaphoreSlim[count];
        for (var i = 0; i < count; i++) _stripes[i] = new SemaphoreSlim(1, 1);
    }

    public int StripeOf(string key) => Index(StringComparer.Ordinal.GetHashCode(key));

    /// <summary>The stripe of an unordered pair: (a, b) and (b, a) share it.</summary>
    public int StripeOf(string a, string b)
    {
        var (first, second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        return Index(HashCode.Combine(StringComparer.Ordinal.GetHashCode(first), StringComparer.Ordinal.GetHashCode(second)));
    }

    public ValueTask<Releaser> AcquireAsync(int stripe, CancellationToken ct) => AcquireAsync(stripe, stripe, ct);

    /// <summary>Takes both stripes (once when they are the same), lower index first.</summary>
    public async ValueTask<Releaser> AcquireAsync(int a, int b, CancellationToken ct)
    {
        var (low, high) = a <= b ? (a, b) : (b, a);
        await _stripes[low].WaitAsync(ct).ConfigureAwait(false);
        if (high == low) return new Releaser(this, low, -1);
        try
        {
            await _stripes[high].WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            _stripes[low].Release();
            throw;
        }
        return new Releaser(this, low, high);
    }

    private int Index(int hash) => (int)((uint)hash % (uint)_stripes.Length);

    /// <summary>Releases what <see cref="AcquireAsync(int, int, CancellationToken)"/> took.</summary>
    public readonly struct Releaser(StripedLock owner, int first, int second) : IDisposable
    {
        public void Dispose()
        {
            if (second >= 0) owner._stripes[second].Release();
            owner._stripes[first].Release();
        }
    }
}
