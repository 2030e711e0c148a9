using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Features;
using XmppConf.Muc.Rooms;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Muc.Service;

/// <summary>
/// The XEP-0045 service at <see cref="Domain"/>: the server routes every stanza for the service
/// or a room under it here, and this class hands it to the room's actor (through
/// <see cref="RoomRegistry"/>) or answers for the service itself. It knows nothing of sockets:
/// everything it sends goes through <see cref="IStanzaSink"/>.
/// </summary>
public sealed class MucService : IAsyncDisposable
{
    private readonly IStanzaSink _sink;
    private readonly IOccupancyTable _occupancy;
    private readonly string _nodeId;
    private readonly RoomRegistry _registry;
    private readonly ServiceHandler _service;

    public MucService(
        string serverDomain,
        MucOptions options,
        IStanzaSink sink,
        IRoomStore rooms,
        IOccupancyTable occupancy,
        Func<Jid, bool> isServerAdmin,
        string nodeId,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null)
        : this(serverDomain, options, sink, rooms, occupancy, isServerAdmin, nodeId, FeatureSet.Default, loggers, time)
    {
    }

    /// <summary>With a chosen feature set (tests; features built on top of the defaults).</summary>
    internal MucService(
        string serverDomain,
        MucOptions options,
        IStanzaSink sink,
        IRoomStore rooms,
        IOccupancyTable occupancy,
        Func<Jid, bool> isServerAdmin,
        string nodeId,
        FeatureSet features,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(serverDomain);
        ArgumentNullException.ThrowIfNull(options);
        Domain = options.Subdomain + "." + serverDomain;
        ServiceJid = Jid.Parse(Domain);
        _sink = sink;
        _occupancy = occupancy;
        _nodeId = nodeId;
        _registry = new RoomRegistry(ServiceJid, serverDomain, options, sink, rooms, occupancy, isServerAdmin, nodeId,
            features, RerouteAsync, loggers, time);
        _service = new ServiceHandler(_registry, sink);
    }

    /// <summary>Subdomain + "." + server domain.</summary>
    public string Domain { get; }

    internal Jid ServiceJid { get; }

    internal RoomRegistry Registry => _registry;

    /// <summary>
    /// Handles a stanza addressed to <see cref="Domain"/> or a room JID under it. 'from' is the
    /// sender's full JID as stamped by the server. The call returns once the stanza is queued
    /// in the room's mailbox (or answered); it does not wait for the room.
    /// </summary>
    public async ValueTask RouteAsync(XElement stanza, Jid from, Jid to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        // Replies are written from these attributes; make them agree with what the server vouches
        // for. A 'to' that prepares to the same JID is kept as the client spelled it, so a room
        // can tell that it changed the nick (XEP-0045 §7.2.3 status 210).
        stanza.SetAttributeValue("from", from.ToString());
        if (!Jid.TryParse(stanza.Attribute("to")?.Value, out var rawTo) || rawTo != to)
        {
            stanza.SetAttributeValue("to", to.ToString());
        }

        if (to.Local is null)
        {
            await _service.HandleAsync(stanza, from, to, ct).ConfigureAwait(false);
            return;
        }

        var kind = stanza.Name.LocalName;
        var type = stanza.Attribute("type")?.Value;
        // XEP-0045 §7.2: available presence to room/nick is an entry, which may create the room.
        var entering = kind == "presence" && type is null && !to.IsBare;
        // A leave must not be lost to a full mailbox, or the occupant would linger.
        var reliable = kind == "presence" && type == "unavailable";
        var outcome = await _registry.PostAsync(to.Bare, new StanzaMessage(stanza, from, to), entering ? from : null, reliable, ct)
            .ConfigureAwait(false);
        Answer(stanza, from, to, outcome);
    }

    /// <summary>
    /// The user's session ended without leaving its rooms: each room this node hosts it in
    /// removes it and tells the others (the server also forwards unavailable presence; this is
    /// the safety net).
    /// </summary>
    public async ValueTask SessionEndedAsync(Jid fullJid, CancellationToken ct)
    {
        var entries = await _occupancy.GetByUserAsync(fullJid.ToString(), ct).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            if (!string.Equals(entry.NodeId, _nodeId, StringComparison.Ordinal)) continue;
            if (Jid.TryParse(entry.RoomJid, out var roomJid))
            {
                await _registry.PostIfActiveAsync(roomJid, new SessionEndedMessage(fullJid), ct).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync() => _registry.DisposeAsync();

    private ValueTask RerouteAsync(StanzaMessage message) =>
        RouteAsync(message.Stanza, message.From, message.To, CancellationToken.None);

    private void Answer(XElement stanza, Jid from, Jid to, RouteOutcome outcome)
    {
        var type = stanza.Attribute("type")?.Value;
        StanzaError? error = outcome switch
        {
            RouteOutcome.Delivered => null,
            RouteOutcome.Full => StanzaError.ResourceConstraint("The room is busy; try again later."),
            RouteOutcome.TooManyRooms => StanzaError.ResourceConstraint("No more rooms can be created on this service."),
            RouteOutcome.CreationRefused => StanzaError.NotAllowed("You are not allowed to create rooms on this service."),
            // Issue 5: wait-type, the client may try again later (XEP-0045 §7.2 uses resource-constraint for limits).
            RouteOutcome.CreationRateExceeded => StanzaError.ResourceConstraint("You have created too many rooms lately; try again later."),
            // Presence to a room that does not exist: a leave needs no answer, a nickless entry is
            // jid-malformed (§7.2.1); everything else is item-not-found.
            RouteOutcome.NoSuchRoom when stanza.Name.LocalName == "presence" && type is not null => null,
            RouteOutcome.NoSuchRoom when stanza.Name.LocalName == "presence" && to.IsBare => StanzaError.JidMalformed("A nickname is required to enter a room."),
            _ => StanzaError.ItemNotFound("No such room."),
        };
        if (error is null || type == "error" || (stanza.Name.LocalName == "iq" && type is "result")) return;
        var reply = error.ReplyTo(stanza);
        _sink.Send(reply);
    }
}
