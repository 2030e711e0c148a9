using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Registering with a room (XEP-0045 §7.10, XEP-0077 in-band registration with the
/// muc#register form): a user asks for the form, submits a nickname, and becomes a member with
/// that nick reserved (<see cref="AffiliationEntry.Nick"/>), which <see cref="NickFeature"/> then
/// keeps from other users. An open room lets any user who is not banned register; a
/// members-only room only lets its members (and admins, owners) change their reserved nick —
/// joining it is the admins' decision (§7.10: "an implementation MAY restrict this privilege").
/// </summary>
internal sealed class RegistrationFeature : IRoomFeature
{
    /// <summary>XEP-0077 in-band registration.</summary>
    public const string Namespace = MucNs.Register;

    /// <summary>XEP-0045 §16.5.1 registration form type.</summary>
    public const string FormType = "http://jabber.org/protocol/muc#register";

    public const string NickVar = "muc#register_roomnick";

    private static readonly XNamespace Register = Namespace;

    public int Order => 960;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) => info.AddFeature(Namespace);

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        if (iq.Element(Register + "query") is not { } query) return null;
        var bare = from.Bare;
        var entry = room.State.Affiliations.GetValueOrDefault(bare);
        var affiliation = entry?.Affiliation ?? Affiliation.None;
        if (room.State.Locked && affiliation != Affiliation.Owner)
        {
            return IqReply.Failed(StanzaError.ItemNotFound()); // §10.1.2: a locked room does not exist yet.
        }

        if (iq.Attribute("type")?.Value == "get")
        {
            // §7.10 example 65: a registered user gets <registered/> and the reserved nick.
            if (affiliation >= Affiliation.Member)
            {
                var registered = new XElement(Register + "query", new XElement(Register + "registered"));
                if (entry?.Nick is { } reserved) registered.Add(new XElement(Register + "username", reserved));
                return IqReply.Result(registered);
            }
            return MayRegister(room, affiliation) ?? IqReply.Result(new XElement(Register + "query", Form(room).ToElement()));
        }

        if (query.Element(Register + "remove") is not null)
        {
            return Unregister(room, bare, entry);
        }
        if (query.Element(DataForm.ElementName) is not { } x || !DataForm.TryParse(x, out var form, out _)
            || form.Type is not (DataFormType.Submit or DataFormType.Cancel)
            || (form.FormType is { } formType && formType != FormType))
        {
            return IqReply.Failed(StanzaError.BadRequest("A muc#register form is required."));
        }
        if (form.Type == DataFormType.Cancel) return IqReply.Empty;
        if (affiliation < Affiliation.Member && MayRegister(room, affiliation) is { } refused) return refused;

        if (form.Field(NickVar)?.Value is not { Length: > 0 } requested)
        {
            return IqReply.Failed(StanzaError.BadRequest("The nickname field is required."));
        }
        if (!NickFeature.TryPrepare(room, requested, out var nick))
        {
            return IqReply.Failed(StanzaError.NotAcceptable("That nickname is not valid."));
        }
        // §7.10: "If the desired room nickname is already reserved for that room, the room MUST return a conflict".
        if (NickFeature.Check(room, bare, nick) is { } taken) return IqReply.Failed(taken);

        // §7.10: the service MAY "immediately add the user to the member list"; higher affiliations stay.
        var next = affiliation >= Affiliation.Member ? affiliation : Affiliation.Member;
        OccupantChanges.SetAffiliation(room, bare, next, nick, entry?.Reason, null);
        return IqReply.Empty;
    }

    /// <summary>§7.10: a user the room does not let register gets not-allowed.</summary>
    private static IqReply? MayRegister(RoomContext room, Affiliation affiliation) =>
        affiliation == Affiliation.Outcast || room.Config.MembersOnly
            ? IqReply.Failed(StanzaError.NotAllowed("You are not allowed to register with this room."))
            : null;

    /// <summary>
    /// XEP-0077 §3.2 cancellation: a member goes back to no affiliation; an admin or owner keeps
    /// that status (only an owner may take it away, §10) and just gives up the reserved nick.
    /// </summary>
    private static IqReply Unregister(RoomContext room, Jid bare, AffiliationEntry? entry)
    {
        if (entry is null || entry.Affiliation < Affiliation.Member)
        {
            return IqReply.Failed(StanzaError.ItemNotFound("You are not registered with this room."));
        }
        var next = entry.Affiliation == Affiliation.Member ? Affiliation.None : entry.Affiliation;
        OccupantChanges.SetAffiliation(room, bare, next, "", entry.Reason, null);
        return IqReply.Empty;
    }

    private static DataForm Form(RoomContext room)
    {
        var form = new DataForm(DataFormType.Form, FormType) { Title = "Registration for " + RoomDiscoFeature.DisplayName(room) };
        form.Instructions.Add("Choose the nickname to reserve for you in this room; you become a member.");
        form.Add(new FormField(NickVar, FormFieldType.TextSingle, "Desired Nickname") { Required = true });
        return form;
    }
}
