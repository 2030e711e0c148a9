using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// The features of a room in ascending <see cref="IRoomFeature.Order"/>, and the loops that run
/// each hook over them. Plain loops over an array: these run per stanza.
/// </summary>
internal sealed class FeatureSet
{
    private readonly IRoomFeature[] _features;

    public FeatureSet(IEnumerable<IRoomFeature> features)
    {
        _features = [.. features];
        // Stable: features with equal Order keep registration order.
        var keyed = new (int Order, int Index, IRoomFeature Feature)[_features.Length];
        for (var i = 0; i < keyed.Length; i++) keyed[i] = (_features[i].Order, i, _features[i]);
        Array.Sort(keyed, static (a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Index.CompareTo(b.Index));
        for (var i = 0; i < keyed.Length; i++) _features[i] = keyed[i].Feature;
    }

    /// <summary>Every built-in feature.</summary>
    public static FeatureSet Default { get; } = new(BuiltInFeatures.All());

    public IReadOnlyList<IRoomFeature> All => _features;

    /// <summary>A copy with extra features (for colleagues' features and tests).</summary>
    public FeatureSet With(params IRoomFeature[] extra) => new([.. _features, .. extra]);

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info)
    {
        foreach (var f in _features) f.ContributeDiscoInfo(room, info);
    }

    public void ContributeConfigForm(RoomContext room, DataForm form)
    {
        foreach (var f in _features) f.ContributeConfigForm(room, form);
    }

    /// <summary>Applies one field; false when no feature owns it.</summary>
    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        foreach (var f in _features)
        {
            if (f.TryApplyConfigField(room, field, submission, out error)) return true;
        }
        error = null;
        return false;
    }

    public StanzaError? ValidateConfig(RoomContext room, RoomConfig proposed)
    {
        foreach (var f in _features)
        {
            if (f.ValidateConfig(room, proposed) is { } error) return error;
        }
        return null;
    }

    public void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> codes)
    {
        foreach (var f in _features) f.OnConfigChanged(room, before, after, codes);
    }

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
    {
        foreach (var f in _features)
        {
            if (f.CheckJoin(room, join) is { } error) return error;
        }
        return null;
    }

    /// <summary>XEP-0045 §5.1.2: owners and admins are moderators, others participants, unless a feature says otherwise.</summary>
    public Role DefaultRole(RoomContext room, Affiliation affiliation)
    {
        foreach (var f in _features)
        {
            if (f.DefaultRole(room, affiliation) is { } role) return role;
        }
        return affiliation >= Affiliation.Admin ? Role.Moderator : Role.Participant;
    }

    public void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes)
    {
        foreach (var f in _features) f.AddJoinStatusCodes(room, join, codes);
    }

    public void OnJoined(RoomContext room, Occupant occupant, JoinRequest join)
    {
        foreach (var f in _features) f.OnJoined(room, occupant, join);
    }

    public StanzaError? CheckNickChange(RoomContext room, Occupant occupant, Jid newOccupantJid)
    {
        foreach (var f in _features)
        {
            if (f.CheckNickChange(room, occupant, newOccupantJid) is { } error) return error;
        }
        return null;
    }

    public StanzaError? CheckGroupchat(RoomContext room, Occupant sender, XElement message)
    {
        foreach (var f in _features)
        {
            if (f.CheckGroupchat(room, sender, message) is { } error) return error;
        }
        return null;
    }

    public bool TryHandleGroupchat(RoomContext room, Occupant sender, XElement message, Jid from)
    {
        foreach (var f in _features)
        {
            if (f.TryHandleGroupchat(room, sender, message, from)) return true;
        }
        return false;
    }

    public void DecorateGroupchat(RoomContext room, Occupant sender, XElement outgoing)
    {
        foreach (var f in _features) f.DecorateGroupchat(room, sender, outgoing);
    }

    public void OnGroupchatSent(RoomContext room, Occupant sender, BroadcastStanza sent)
    {
        foreach (var f in _features) f.OnGroupchatSent(room, sender, sent);
    }

    public StanzaError? CheckPrivateMessage(RoomContext room, Occupant sender, Occupant recipient, XElement message)
    {
        foreach (var f in _features)
        {
            if (f.CheckPrivateMessage(room, sender, recipient, message) is { } error) return error;
        }
        return null;
    }

    public bool TryHandleRoomMessage(RoomContext room, Occupant? sender, XElement message, Jid from)
    {
        foreach (var f in _features)
        {
            if (f.TryHandleRoomMessage(room, sender, message, from)) return true;
        }
        return false;
    }

    public void DecorateFromOccupant(RoomContext room, Occupant occupant, XElement outgoing)
    {
        foreach (var f in _features) f.DecorateFromOccupant(room, occupant, outgoing);
    }

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        foreach (var f in _features)
        {
            if (f.HandleRoomIq(room, sender, iq, from) is { } reply) return reply;
        }
        return null;
    }

    public IqReply? HandleOccupantIq(RoomContext room, Occupant? sender, Jid target, XElement iq, Jid from)
    {
        foreach (var f in _features)
        {
            if (f.HandleOccupantIq(room, sender, target, iq, from) is { } reply) return reply;
        }
        return null;
    }
}
