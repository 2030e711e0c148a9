using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_getmemberlist: the roles that may retrieve the member list (XEP-0045 §9.5).
/// Stored for the admin feature that serves muc#admin member lists.
/// </summary>
internal sealed class MemberListFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_getmemberlist";

    public int Order => 117;

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(PresenceBroadcastFeature.RoleListField(Var, "Roles and Affiliations that May Retrieve Member List", room.Config.GetMemberList));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (RoomConfigNames.TryParseRoleSet(field.Values, out var set))
        {
            submission.Config = submission.Config with { GetMemberList = set };
        }
        else
        {
            error = ConfigFields.Invalid(field);
        }
        return true;
    }
}
