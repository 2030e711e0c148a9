using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_persistentroom: a persistent room outlives its last occupant and a restart
/// (the actor saves it through IRoomStore whenever its durable data changes); a temporary room
/// ends when empty (XEP-0045 §4.2 muc_persistent / muc_temporary).
/// </summary>
internal sealed class PersistenceFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_persistentroom";

    public int Order => 3;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.Persistent ? "muc_persistent" : "muc_temporary");

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Make Room Persistent?", room.Config.Persistent));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { Persistent = value };
        }
        return true;
    }
}
