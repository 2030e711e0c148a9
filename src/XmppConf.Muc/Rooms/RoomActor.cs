using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Features;

namespace XmppConf.Muc.Rooms;

/// <summary>What became of a posted message.</summary>
internal enum PostResult
{
    Accepted,

    /// <summary>The mailbox is full: the caller answers the sender resource-constraint.</summary>
    Full,

    /// <summary>The room stopped: the caller routes the message again.</summary>
    Stopped,
}

/// <summary>
/// A room as a process (ejabberd's mod_muc_room, XmppConf STYLE §2): one bounded mailbox, one
/// reader loop, and the only code that touches the room's <see cref="RoomState"/>. Callers
/// never wait on the room: <see cref="Post"/> returns at once (full mailbox → the sender is
/// told resource-constraint); <see cref="AskAsync{T}"/> runs a query on the loop.
/// After each message the actor removes sessions the sink reported gone, saves a persistent
/// room whose data changed, and stops when the room is destroyed or empty and temporary.
/// </summary>
internal sealed partial class RoomActor
{
    private readonly Channel<RoomMessage> _mailbox;
    private readonly RoomContext _room;
    private readonly PresenceHandler _presence;
    private readonly MessageHandler _messages;
    private readonly IqHandler _iqs;
    private readonly ILogger _logger;
    private Task? _loop;

    /// <summary>True while the room is in the store (activated from it, or saved since).</summary>
    private bool _stored;

    public RoomActor(RoomState state, FeatureSet features, IRoomHost host, ILogger logger, bool stored = false)
    {
        _stored = stored;
        _mailbox = Channel.CreateBounded<RoomMessage>(new BoundedChannelOptions(Math.Max(1, host.Options.RoomMailboxCapacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        _room = new RoomContext(state, features, host);
        _presence = new PresenceHandler(_room);
        _messages = new MessageHandler(_room);
        _iqs = new IqHandler(_room);
        _logger = logger;
    }

    public Jid RoomJid => _room.RoomJid;

    /// <summary>Ends when the actor has stopped.</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    public void Start()
    {
        PublishListing();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a message without waiting.</summary>
    public PostResult Post(RoomMessage message)
    {
        if (_mailbox.Writer.TryWrite(message)) return PostResult.Accepted;
        // TryWrite fails on a full or a completed channel; completion is final, so test it second.
        return _mailbox.Reader.Completion.IsCompleted || IsStopping ? PostResult.Stopped : PostResult.Full;
    }

    /// <summary>Queues a message that must not be dropped (a leave), waiting for room in the mailbox; false when the room stopped.</summary>
    public async ValueTask<bool> PostReliablyAsync(RoomMessage message, CancellationToken ct)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(message, ct).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="query"/> on the room's loop; throws <see cref="RoomStoppedException"/> if the room stopped first.</summary>
    public async Task<T> AskAsync<T>(Func<RoomContext, T> query, CancellationToken ct)
    {
        var ask = new AskMessage<T>(query);
        if (!await PostReliablyAsync(ask, ct).ConfigureAwait(false))
        {
            throw new RoomStoppedException();
        }
        return await ask.Answer.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Asks the loop to finish what is queued, save, and stop (service shutdown).</summary>
    public void Shutdown() => _mailbox.Writer.TryComplete();

    private volatile bool _stopping;

    private bool IsStopping => _stopping;

    private async Task RunAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                try
                {
                    await HandleAsync(message).ConfigureAwait(false);
                    await AfterMessageAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // One bad stanza must not take the room down; it is logged, not swallowed silently.
                    LogHandlerFailed(_logger, ex, RoomJid.ToString());
                }
                if (ShouldStop())
                {
                    await StopAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        // Shut down by the service: persist what changed, hand nothing back.
        await SaveIfDirtyAsync().ConfigureAwait(false);
    }

    private ValueTask HandleAsync(RoomMessage message)
    {
        switch (message)
        {
            case StanzaMessage stanza:
                switch (stanza.Stanza.Name.LocalName)
                {
                    case "presence": return _presence.HandleAsync(stanza.Stanza, stanza.From, stanza.To);
                    case "message": _messages.Handle(stanza.Stanza, stanza.From, stanza.To); return ValueTask.CompletedTask;
                    case "iq": return _iqs.HandleAsync(stanza.Stanza, stanza.From, stanza.To);
                    default: return ValueTask.CompletedTask;
                }
            case SessionEndedMessage ended:
                return _presence.SessionGoneAsync(ended.FullJid);
            case AskMessage ask:
                ask.Run(_room);
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask AfterMessageAsync()
    {
        await _presence.ApplyOccupancyChangesAsync().ConfigureAwait(false);
        // Sessions the sink could not reach leave silently; their unavailable presence may find
        // more gone sessions, hence the loop (each pass removes at least one session).
        while (_room.Output.TakeGone() is { } gone)
        {
            foreach (var jid in gone)
            {
                await _presence.SessionGoneAsync(jid).ConfigureAwait(false);
            }
        }
        await SaveIfDirtyAsync().ConfigureAwait(false);
        PublishListing();
    }

    private Service.RoomListing? _listing;

    /// <summary>Keeps the service's room directory current; allocates only when something shown changed.</summary>
    private void PublishListing()
    {
        var state = _room.State;
        if (state.Locked || _room.DestroyRequested)
        {
            if (_listing is not null)
            {
                _listing = null;
                _room.Host.UpdateListing(RoomJid, null);
            }
            return;
        }
        var name = RoomDiscoFeature.DisplayName(_room);
        if (_listing is { } l && l.Public == state.Config.Public && l.Occupants == state.OccupantCount
            && string.Equals(l.Name, name, StringComparison.Ordinal))
        {
            return;
        }
        _listing = new Service.RoomListing(RoomJid, name, state.Config.Public, state.OccupantCount);
        _room.Host.UpdateListing(RoomJid, _listing);
    }

    private async ValueTask SaveIfDirtyAsync()
    {
        if (!_room.Dirty) return;
        _room.ClearDirty();
        if (_room.Config.Persistent && !_room.DestroyRequested && !_room.State.Locked)
        {
            await _room.Host.SaveAsync(_room.State, CancellationToken.None).ConfigureAwait(false);
            _stored = true;
        }
        else if (_stored && !_room.Config.Persistent)
        {
            // Made temporary: it must not come back after a restart.
            await _room.Host.DeleteStoredAsync(RoomJid, CancellationToken.None).ConfigureAwait(false);
            _stored = false;
        }
    }

    /// <summary>XEP-0045 §10.1.3 temporary rooms end with their last occupant; any room ends when destroyed.</summary>
    private bool ShouldStop() =>
        _room.DestroyRequested || (_room.State.IsEmpty && (!_room.Config.Persistent || _room.State.Locked));

    private async Task StopAsync()
    {
        _stopping = true;
        _mailbox.Writer.TryComplete();
        var leftovers = new List<RoomMessage>();
        while (_mailbox.Reader.TryRead(out var message))
        {
            if (message is AskMessage ask)
            {
                ask.Abandon();
            }
            else
            {
                leftovers.Add(message);
            }
        }
        if (!_room.State.IsEmpty)
        {
            await _presence.EvictAllAsync().ConfigureAwait(false);
        }
        if (_room.DestroyRequested)
        {
            await _room.Host.DeleteStoredAsync(RoomJid, CancellationToken.None).ConfigureAwait(false);
        }
        _room.Host.UpdateListing(RoomJid, null);
        await _room.Host.RoomStoppedAsync(this, leftovers).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Room {Room} failed to handle a message")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string room);
}
