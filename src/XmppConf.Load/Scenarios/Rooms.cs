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
    public static async Task JoinAllAsync(IReadOnlyList<Occupant> occupants, CancellationToken ct)
    {
        var sends = new Task[occupants.Count];
        for (var i = 0; i < occupants.Count; i++) sends[i] = occupants[i].SendJoinAsync(ct).AsTask();
        await Task.WhenAll(sends).ConfigureAwait(false);
        var joins = new Task[occupants.Count];
        for (var i = 0; i < occupants.Count; i++) joins[i] = occupants[i].Joined.Task;
        await Task.WhenAll(joins).WaitAsync(ct).ConfigureAwait(false);
    }
}
