namespace XmppConf.Load.Scenarios;

/// <summary>Creating rooms and joining occupants, shared by the MUC scenarios.</summary>
internal static class Rooms
{
    /// <summary>
    /// The creator joins first; if the join created the room it accepts the default configuration
    /// (XEP-0045 §10.1.2), since a locked room admits nobody else.
    /// </summary>
    public static async Task CreateAsync(Occupant creator, CancellationToken ct)
    {
        await creator.SendJoinAsync(ct).ConfigureAwait(false);
        await creator.Joined.Task.WaitAsync(ct).ConfigureAwait(false);
        if (!creator.CreatedRoom) return;
        await creator.SendInstantRoomConfigAsync(ct).ConfigureAwait(false);
        await creator.ConfigDone.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sends every join at once, then waits for all self-presences.</summary>
    public static Task JoinAllAsync(IReadOnlyList<Occupant> occupants, CancellationToken ct) =>
        JoinAllAsync(occupants, Timeout.InfiniteTimeSpan, ct);

    /// <summary>As above, but gives up waiting after <paramref name="timeout"/>; false when not all joined by then.</summary>
    public static async Task<bool> JoinAllAsync(IReadOnlyList<Occupant> occupants, TimeSpan timeout, CancellationToken ct)
    {
        var sends = new Task[occupants.Count];
        for (var i = 0; i < occupants.Count; i++) sends[i] = occupants[i].SendJoinAsync(ct).AsTask();
        await Task.WhenAll(sends).ConfigureAwait(false);
        var joins = new Task[occupants.Count];
        for (var i = 0; i < occupants.Count; i++) joins[i] = occupants[i].Joined.Task;
        try
        {
            await Task.WhenAll(joins).WaitAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
