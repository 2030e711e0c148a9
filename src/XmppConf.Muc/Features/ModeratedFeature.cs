using System.Xml.Linq;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0045 §5.1.1 moderated rooms: users without an affiliation enter as visitors, and
/// visitors may not speak (§7.4: forbidden).
/// </summary>
internal sealed class ModeratedFeature : IRoomFeature
{
    public int Order => 70;

    public const string Var = "muc#roomconfig_moderatedroom";

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.Moderated ? "muc_moderated" : "muc_unmoderated");

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Make Room Moderated?", room.Config.Moderated));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { Moderated = value };
        }
        return true;
    }

    public Role? DefaultRole(RoomContext room, Affiliation affiliation) =>
        room.Config.Moderated && affiliation == Affiliation.None ? Role.Visitor : null;

    public StanzaError? CheckGroupchat(RoomContext room, Occupant sender, XElement message) =>
        sender.Role < Role.Participant
            ? StanzaError.Forbidden("Visitors are not allowed to send messages to all occupants.")
            : null;
}
