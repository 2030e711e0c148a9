using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// Voice requests (XEP-0045 §7.13, §8.6): a visitor sends the room a muc#request form asking
/// for the participant role; the room sends every moderator an approval form naming the visitor;
/// a moderator who submits it with muc#request_allow true grants voice, exactly as if they had
/// set the role through muc#admin (§8.3, same privilege rules and presence). A visitor's
/// repeated requests reach the moderators at most once per <see cref="RequestInterval"/>.
/// </summary>
internal sealed class VoiceRequestFeature : IRoomFeature
{
    private static readonly XNamespace Client = Ns.Client;

    public const string RoleVar = "muc#role";
    public const string JidVar = "muc#jid";
    public const string NickVar = "muc#roomnick";
    public const string AllowVar = "muc#request_allow";

    /// <summary>A name some clients use for the approval field; read as <see cref="AllowVar"/>.</summary>
    public const string LegacyAllowVar = "muc#roomvoice_allow";

    /// <summary>The least time between two voice requests of one occupant that reach the moderators.</summary>
    public static readonly TimeSpan RequestInterval = TimeSpan.FromMinutes(1);

    public int Order => 113;

    /// <summary>Not a registered disco feature but the form type (§16.5.2); clients offer "request voice" where rooms advertise it, as Prosody does.</summary>
    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) => info.AddFeature(MucNs.Request);

    public bool TryHandleRoomMessage(RoomContext room, Occupant? sender, XElement message, Jid from)
    {
        if (message.Attribute("type")?.Value is { } type && type != "normal") return false;
        if (message.Element(DataForm.ElementName) is not { } x) return false;
        if (!DataForm.TryParse(x, out var form, out _) || form.FormType != MucNs.Request || form.Type != DataFormType.Submit)
        {
            return false;
        }
        var error = (form.Field(AllowVar) ?? form.Field(LegacyAllowVar)) is { } allow
            ? Approve(room, form, allow, from)
            : Request(room, sender, form, from);
        if (error is not null) room.Output.SendError(message, from, room.RoomJid, error);
        return true;
    }

    /// <summary>§7.13: a visitor asks for voice; the moderators get the §8.6 approval form.</summary>
    private static StanzaError? Request(RoomContext room, Occupant? sender, DataForm form, Jid from)
    {
        if (sender is null)
        {
            return StanzaError.NotAcceptable("Only occupants may request voice.");
        }
        if (form.Field(RoleVar)?.Value != "participant")
        {
            return StanzaError.BadRequest("Only voice (the participant role) can be requested.");
        }
        if (sender.Role != Role.Visitor) return null; // Already has voice: nothing to ask for.
        // Repeats within the interval are dropped, so a visitor cannot flood the moderators.
        if (sender.LastVoiceRequest is { } last && room.Now - last < RequestInterval) return null;
        sender.LastVoiceRequest = room.Now;

        BroadcastStanza? approval = null;
        foreach (var moderator in room.State.Occupants)
        {
            if (moderator.Role != Role.Moderator) continue;
            approval ??= new BroadcastStanza(ApprovalForm(room, sender, from));
            foreach (var session in moderator.Sessions)
            {
                room.Output.Send(approval, session.RealJid);
            }
        }
        return null;
    }

    /// <summary>§8.6 example 88: the approval form, from the room JID, to each moderator.</summary>
    private static XElement ApprovalForm(RoomContext room, Occupant visitor, Jid session)
    {
        var form = new DataForm(DataFormType.Form, MucNs.Request) { Title = "Voice request" };
        form.Instructions.Add("To approve this request for voice, select the \"Grant voice to this person?\" checkbox and click OK. To skip this request, click the cancel button.");
        form.Add(new FormField(RoleVar, FormFieldType.ListSingle, "Requested role").WithValue("participant"));
        form.Add(new FormField(JidVar, FormFieldType.JidSingle, "User ID").WithValue(session.ToString()));
        form.Add(new FormField(NickVar, FormFieldType.TextSingle, "Room Nickname").WithValue(visitor.Nick));
        form.Add(new FormField(AllowVar, FormFieldType.Boolean, "Grant voice to this person?").WithValue("false"));
        return new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("id", Guid.NewGuid().ToString("N")),
            form.ToElement());
    }

    /// <summary>§8.6: a submitted approval form; true grants voice as §8.3 does.</summary>
    private static StanzaError? Approve(RoomContext room, DataForm form, FormField allow, Jid from)
    {
        if (!allow.TryGetBoolean(out var granted))
        {
            return StanzaError.BadRequest($"Invalid value for {allow.Var}.");
        }
        var actor = Actor.Of(room, from);
        if (!actor.IsModerator)
        {
            return StanzaError.Forbidden("Only moderators may approve voice requests.");
        }
        if (!granted) return null; // The moderator skipped the request.

        var visitor = form.Field(NickVar)?.Value is { } nick ? room.State.FindByNick(nick)
            : Jid.TryParse(form.Field(JidVar)?.Value, out var jid) ? room.State.FindBySession(jid)
            : null;
        if (visitor is null)
        {
            return StanzaError.ItemNotFound("The occupant who asked for voice is no longer in the room.");
        }
        if (visitor.Role != Role.Visitor) return null; // Someone else granted it already.
        if (Privileges.CheckRoleChange(actor, visitor, Role.Participant) is { } denied) return denied;
        OccupantChanges.SetRole(room, visitor, Role.Participant, actor.Nick, null);
        return null;
    }
}
