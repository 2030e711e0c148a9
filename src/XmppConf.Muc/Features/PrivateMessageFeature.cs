using System.Xml.Linq;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Private messages between occupants (XEP-0045 §7.5) as muc#roomconfig_allowpm allows:
/// anyone, participants (and moderators), moderators, or none.
/// </summary>
internal sealed class PrivateMessageFeature : IRoomFeature
{
    public int Order => 120;

    public const string Var = "muc#roomconfig_allowpm";

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.ListSingle(Var, "Roles that May Send Private Messages", room.Config.AllowPm.ToXmlName(),
            ("anyone", "Anyone"), ("participants", "Anyone with Voice"), ("moderators", "Moderators Only"), ("none", "Nobody")));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (RoomConfigNames.TryParsePmPolicy(field.Value, out var policy))
        {
            submission.Config = submission.Config with { AllowPm = policy };
        }
        else
        {
            error = ConfigFields.Invalid(field);
        }
        return true;
    }

    public StanzaError? CheckPrivateMessage(RoomContext room, Occupant sender, Occupant recipient, XElement message)
    {
        var allowed = room.Config.AllowPm switch
        {
            PmPolicy.Anyone => true,
            PmPolicy.Participants => sender.Role >= Role.Participant,
            PmPolicy.Moderators => sender.Role == Role.Moderator,
            _ => false,
        };
        return allowed ? null : StanzaError.Forbidden("You are not allowed to send private messages in this room.");
    }
}
