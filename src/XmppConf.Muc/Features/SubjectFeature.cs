using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// The room subject (XEP-0045 §8.1): a groupchat message with a &lt;subject/&gt; and no
/// &lt;body/&gt; changes it — moderators always, participants when muc#roomconfig_changesubject
/// allows, others forbidden. Every newcomer gets the subject last, after history (§7.2.15), an
/// empty &lt;subject/&gt; from the room when there is none.
/// </summary>
internal sealed class SubjectFeature : IRoomFeature
{
    private static readonly XNamespace Client = Ns.Client;

    public int Order => 110;

    public const string Var = "muc#roomconfig_changesubject";

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info)
    {
        if (info.Form is null) return;
        info.Form.Add(new FormField("muc#roominfo_subject", label: "Current Discussion Topic").WithValue(room.State.Subject?.Text ?? ""));
        info.Form.Add(new FormField("muc#roominfo_subjectmod", FormFieldType.Boolean, "The room subject can be modified by participants").WithBoolean(room.Config.ChangeSubject));
    }

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Allow Occupants to Change Subject?", room.Config.ChangeSubject));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { ChangeSubject = value };
        }
        return true;
    }

    public bool TryHandleGroupchat(RoomContext room, Occupant sender, XElement message, Jid from)
    {
        var subject = message.Element(Client + "subject");
        if (subject is null || message.Element(Client + "body") is not null) return false;

        if (!MayChange(room, sender))
        {
            room.Output.SendError(message, from, room.RoomJid, StanzaError.Forbidden("You are not allowed to change the subject."));
            return true;
        }

        room.State.Subject = new RoomSubject(subject.Value, sender.Nick, room.Now);
        room.MarkDirty();

        var outgoing = new XElement(Client + "message",
            new XAttribute("from", sender.OccupantJid.ToString()),
            new XAttribute("type", "groupchat"));
        if (message.Attribute("id") is { } id) outgoing.SetAttributeValue("id", id.Value);
        outgoing.Add(new XElement(Client + "subject", subject.Value));
        room.Features.DecorateFromOccupant(room, sender, outgoing);
        room.Features.DecorateGroupchat(room, sender, outgoing);
        room.SendToAll(new BroadcastStanza(outgoing));
        return true;
    }

    public void OnJoined(RoomContext room, Occupant occupant, JoinRequest join)
    {
        var current = room.State.Subject;
        var from = current?.Nick is { } nick ? room.RoomJid.WithResource(nick) : room.RoomJid;
        var message = new XElement(Client + "message",
            new XAttribute("from", from.ToString()),
            new XAttribute("to", join.RealJid.ToString()),
            new XAttribute("type", "groupchat"),
            new XElement(Client + "subject", current?.Text ?? ""));
        room.Output.Send(message, join.RealJid);
    }

    private static bool MayChange(RoomContext room, Occupant sender) =>
        sender.Role == Role.Moderator || (room.Config.ChangeSubject && sender.Role >= Role.Participant);
}
