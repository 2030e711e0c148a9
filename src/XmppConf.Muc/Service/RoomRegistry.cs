using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppConf.Core.Addressing;
using XmppConf.Core.Throttling;
using XmppConf.Muc.Features;
using XmppConf.Muc.Rooms;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Muc.Service;

/// <summary>
/// The rooms of the service: finds a room's actor, activates it from the store or creates it on
/// a first entry (XEP-0045 §10.1.1), saves persistent rooms when they change, and forgets a room
/// when its actor stops (a temporary room emptied, a room destroyed). Active rooms are looked
/// up lock-free; activation, which may read the store, is serialised so each room gets exactly
/// one actor and a creator's presence is the first thing in a new room's mailbox.
/// </summary>
internal sealed partial class RoomRegistry : IRoomHost, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Jid, RoomActor> _active = new();
    private readonly ConcurrentDictionary<Jid, RoomListing> _directory = new();
    private bool _directoryLoaded;
    private readonly SemaphoreSlim _activation = new(1, 1);
    private readonly IRoomStore _store;
    private readonly FeatureSet _features;
    private readonly Func<Jid, bool> _isServerAdmin;
    private readonly string _serverDomain;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Func<StanzaMessage, ValueTask> _reroute;
    private readonly JoinedRooms _joined = new();

    /// <summary>Muc:RoomCreationsPerUserPerHour buckets by creator (bare JID); touched only under <see cref="_activation"/>.</summary>
    private readonly Dictionary<Jid, TokenBucket> _creations = [];
    private bool _disposed;

    public RoomRegistry(
        Jid serviceJid,
        string serverDomain,
        MucOptions options,
        IStanzaSink sink,
        IRoomStore store,
        IOccupancyTable occupancy,
        Func<Jid, bool> isServerAdmin,
        string nodeId,
        FeatureSet features,
        Func<StanzaMessage, ValueTask> reroute,
        ILoggerFactory? loggers,
        TimeProvider? time)
    {
        ServiceJid = serviceJid;
        _serverDomain = serverDomain;
        Options = options;
        Sink = sink;
        _store = store;
        Occupancy = occupancy;
        _isServerAdmin = isServerAdmin;
        NodeId = nodeId;
        _features = features;
        _reroute = reroute;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<RoomRegistry>();
        Time = time ?? TimeProvider.System;
    }

    public MucOptions Options { get; }

    public IStanzaSink Sink { get; }

    public TimeProvider Time { get; }

    public IOccupancyTable Occupancy { get; }

    public string NodeId { get; }

    public Jid ServiceJid { get; }

    public int ActiveCount => _active.Count;

    public bool IsServerAdmin(Jid bareJid) => _isServerAdmin(bareJid);

    /// <summary>Which rooms each user is in on this node (Muc:MaxRoomsJoinedPerUser).</summary>
    internal JoinedRooms Joined => _joined;

    public bool TryEnterRoom(Jid user, Jid room) =>
        _joined.TryAdd(user, room, _isServerAdmin(user) ? 0 : Options.MaxRoomsJoinedPerUser);

    public void LeftRoom(Jid user, Jid room) => _joined.Remove(user, room);

    /// <summary>The active rooms (a snapshot).</summary>
    public ICollection<RoomActor> ActiveRooms => _active.Values;

    /// <summary>
    /// Puts <paramref name="message"/> in the room's mailbox, activating the room from the store
    /// if needed, or creating it when <paramref name="creator"/> is given (an entering presence).
    /// <paramref name="reliable"/> waits for mailbox space instead of reporting Full.
    /// </summary>
    public async ValueTask<RouteOutcome> PostAsync(Jid roomJid, RoomMessage message, Jid? creator, bool reliable, CancellationToken ct)
    {
        // A stopped actor hands back what it had not read; each retry meets a newer actor.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (!_active.TryGetValue(roomJid, out var actor))
            {
                var (activated, outcome) = await ActivateAsync(roomJid, message, creator, ct).ConfigureAwait(false);
                if (outcome is { } done) return done;
                actor = activated!;
            }
            var result = reliable
                ? (await actor.PostReliablyAsync(message, ct).ConfigureAwait(false) ? PostResult.Accepted : PostResult.Stopped)
                : actor.Post(message);
            switch (result)
            {
                case PostResult.Accepted: return RouteOutcome.Delivered;
                case PostResult.Full: return RouteOutcome.Full;
            }
            // Stopping (emptied or destroyed): wait until it has left the registry (and the store,
            // for a destroyed room), so the retry meets the room's true next state, not the same actor.
            await WaitStoppedAsync(actor, ct).ConfigureAwait(false);
        }
        return RouteOutcome.Full;
    }

    /// <summary>Posts to the room only if it is active (session clean-up needs no inactive room).</summary>
    public async ValueTask PostIfActiveAsync(Jid roomJid, RoomMessage message, CancellationToken ct)
    {
        if (_active.TryGetValue(roomJid, out var actor))
        {
            await actor.PostReliablyAsync(message, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query on the room's actor, activating it from the store; null when there is no such room.</summary>
    public async Task<T?> AskAsync<T>(Jid roomJid, Func<RoomContext, T> query, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (!_active.TryGetValue(roomJid, out var actor))
            {
                var (activated, _) = await ActivateAsync(roomJid, null, null, ct).ConfigureAwait(false);
                if (activated is null) return default;
                actor = activated;
            }
            try
            {
                return await actor.AskAsync(query, ct).ConfigureAwait(false);
            }
            catch (RoomStoppedException)
            {
                // Stopped between lookup and ask: try the next actor once this one is gone.
                await WaitStoppedAsync(actor, ct).ConfigureAwait(false);
            }
        }
        return default;
    }

    /// <summary>Stored room JIDs (persistent rooms), sorted.</summary>
    public Task<IReadOnlyList<string>> ListStoredAsync(CancellationToken ct) => _store.ListAsync(ct);

    private async ValueTask<(RoomActor? Actor, RouteOutcome? Outcome)> ActivateAsync(Jid roomJid, RoomMessage? first, Jid? creator, CancellationToken ct)
    {
        await _activation.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_active.TryGetValue(roomJid, out var existing)) return (existing, null);

            var stored = await _store.LoadAsync(roomJid.ToString(), ct).ConfigureAwait(false);
            if (stored is not null)
            {
                var restored = RoomPersistence.Restore(stored, Options);
                var actor = NewActor(restored, stored: true);
                _active[roomJid] = actor;
                actor.Start();
                LogActivated(_logger, roomJid.ToString());
                return (actor, null);
            }

            if (creator is null || first is null) return (null, RouteOutcome.NoSuchRoom);
            if (!MayCreate(creator)) return (null, RouteOutcome.CreationRefused);
            if (Options.MaxRoomsPerService > 0 && _active.Count >= Options.MaxRoomsPerService) return (null, RouteOutcome.TooManyRooms);
            if (!TakeCreationToken(creator.Bare))
            {
                LogCreationRateExceeded(_logger, roomJid.ToString(), creator.Bare.ToString());
                return (null, RouteOutcome.CreationRateExceeded);
            }

            var state = new RoomState(roomJid, RoomConfig.Default(Options), Time.GetUtcNow(), RoomState.NewSalt())
            {
                AwaitingCreator = true,
            };
            var created = NewActor(state);
            // The creator's presence goes in before anyone else can find the room, so the
            // creator, not a racing second user, becomes its owner.
            created.Post(first);
            _active[roomJid] = created;
            created.Start();
            LogCreated(_logger, roomJid.ToString(), creator.ToString());
            return (created, RouteOutcome.Delivered);
        }
        finally
        {
            _activation.Release();
        }
    }

    /// <summary>XEP-0045 §10.1.1 and MucOptions.RoomCreation; server admins may always create.</summary>
    private bool MayCreate(Jid creator)
    {
        if (_isServerAdmin(creator.Bare)) return true;
        return Options.RoomCreation switch
        {
            RoomCreationPolicy.Anyone => true,
            RoomCreationPolicy.LocalUsers => string.Equals(creator.Domain, _serverDomain, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>
    /// Issue 5, Muc:RoomCreationsPerUserPerHour: a bucket of that many creations per user,
    /// refilling over an hour, so creating and abandoning temporary rooms in a loop is bounded.
    /// Runs under <see cref="_activation"/>. Server admins are exempt, as they are from the
    /// creation policy.
    /// </summary>
    private bool TakeCreationToken(Jid creator)
    {
        var perHour = Options.RoomCreationsPerUserPerHour;
        if (perHour <= 0 || _isServerAdmin(creator)) return true;
        var now = Time.GetUtcNow().UtcTicks;
        if (!_creations.TryGetValue(creator, out var bucket))
        {
            // Forget refilled buckets before the table grows: a full bucket is a new one.
            if (_creations.Count >= 1024)
            {
                foreach (var (jid, old) in _creations)
                {
                    if (old.IsFull(now)) _creations.Remove(jid);
                }
            }
            bucket = new TokenBucket(perHour / 3600.0, perHour, now);
            _creations[creator] = bucket;
        }
        return bucket.TryTake(now);
    }

    private RoomActor NewActor(RoomState state, bool stored = false) =>
        new(state, _features, this, _loggers.CreateLogger<RoomActor>(), stored);

    public void UpdateListing(Jid roomJid, RoomListing? listing)
    {
        if (listing is null) _directory.TryRemove(roomJid, out _);
        else _directory[roomJid] = listing;
    }

    /// <summary>
    /// Every listed room (public and hidden), sorted by JID. Stored rooms that were never active
    /// since start are read from the store once, without activating them.
    /// </summary>
    public async Task<List<RoomListing>> ListRoomsAsync(CancellationToken ct)
    {
        if (!_directoryLoaded)
        {
            await _activation.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!_directoryLoaded)
                {
                    foreach (var text in await _store.ListAsync(ct).ConfigureAwait(false))
                    {
                        if (!Jid.TryParse(text, out var jid) || _active.ContainsKey(jid) || _directory.ContainsKey(jid)) continue;
                        var stored = await _store.LoadAsync(text, ct).ConfigureAwait(false);
                        if (stored is null) continue;
                        var config = RoomPersistence.Restore(stored, Options).Config;
                        _directory.TryAdd(jid, new RoomListing(jid, config.Name.Length > 0 ? config.Name : jid.Local!, config.Public, 0));
                    }
                    _directoryLoaded = true;
                }
            }
            finally
            {
                _activation.Release();
            }
        }
        var rooms = new List<RoomListing>(_directory.Values);
        rooms.Sort(static (a, b) => string.CompareOrdinal(a.RoomJid.ToString(), b.RoomJid.ToString()));
        return rooms;
    }

    private static async Task WaitStoppedAsync(RoomActor actor, CancellationToken ct)
    {
        try
        {
            await actor.Completion.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A wedged stop must not hang the sender; the caller's retries are bounded.
        }
    }

    public Task SaveAsync(RoomState state, CancellationToken ct) => _store.SaveAsync(RoomPersistence.ToStored(state), ct);

    public Task DeleteStoredAsync(Jid roomJid, CancellationToken ct) => _store.DeleteAsync(roomJid.ToString(), ct);

    public async ValueTask RoomStoppedAsync(RoomActor actor, IReadOnlyList<RoomMessage> leftovers)
    {
        _active.TryRemove(new KeyValuePair<Jid, RoomActor>(actor.RoomJid, actor));
        LogStopped(_logger, actor.RoomJid.ToString());
        foreach (var message in leftovers)
        {
            if (message is StanzaMessage stanza && !_disposed)
            {
                await _reroute(stanza).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _activation.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
        }
        finally
        {
            _activation.Release();
        }
        var actors = _active.Values.ToArray();
        foreach (var actor in actors) actor.Shutdown();
        foreach (var actor in actors) await actor.Completion.ConfigureAwait(false);
        _active.Clear();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Room {Room} activated from storage")]
    private static partial void LogActivated(ILogger logger, string room);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Room {Room} created by {Creator}")]
    private static partial void LogCreated(ILogger logger, string room, string creator);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Room {Room} stopped")]
    private static partial void LogStopped(ILogger logger, string room);

    // Debug, not Warning: a client looping on creation must not be able to flood the log.
    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Room {Room} not created: {Creator} is over Muc:RoomCreationsPerUserPerHour")]
    private static partial void LogCreationRateExceeded(ILogger logger, string room, string creator);
}
