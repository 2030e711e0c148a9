using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_allowinvites: whether occupants, not only admins, may invite others
/// (XEP-0045 §7.8). <see cref="MediatedInviteFeature"/> applies it to invitations.
/// </summary>
internal sealed class InvitesFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_allowinvites";

    public int Order => 115;

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Allow Occupants to Invite Others?", room.Config.AllowInvites));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { AllowInvites = value };
        }
        return true;
    }
}
