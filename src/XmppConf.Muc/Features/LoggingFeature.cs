using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_enablelogging: a publicly logged room warns entrants with status 170
/// (XEP-0045 §7.2.12); turning logging on or off is announced with 170 / 171 (§10.2.1).
/// </summary>
internal sealed class LoggingFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_enablelogging";

    public int Order => 90;

    public void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes)
    {
        if (room.Config.EnableLogging) codes.Add(170);
    }

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Enable Public Logging?", room.Config.EnableLogging));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { EnableLogging = value };
        }
        return true;
    }

    public void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> statusCodes)
    {
        if (before.EnableLogging != after.EnableLogging) statusCodes.Add(after.EnableLogging ? 170 : 171);
    }
}
