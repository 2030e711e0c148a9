using System.Threading.Tasks.Sources;

namespace XmppConf.Server.Connections;

/// <summary>
/// A wake-up for one waiter at a time that allocates nothing per wait: the waiter calls
/// <see cref="Arm"/> (under the owner's lock), then awaits <see cref="WaitAsync"/>; another thread
/// calls <see cref="Set"/> at most once per arming. Continuations run on the thread pool, never
/// inside <see cref="Set"/>, so a sender never runs the waiter's code.
/// </summary>
internal sealed class ReusableSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    /// <summary>Prepares the next wait; call only when no wait is pending.</summary>
    public void Arm() => _core.Reset();

    public ValueTask WaitAsync() => new(this, _core.Version);

    public void Set() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
