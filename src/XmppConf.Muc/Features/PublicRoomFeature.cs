using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_publicroom: a public room is listed in the service's disco#items
/// (XEP-0045 §6.3) and advertises muc_public; a hidden one muc_hidden (§6.4).
/// </summary>
internal sealed class PublicRoomFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_publicroom";

    public int Order => 2;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.Public ? "muc_public" : "muc_hidden");

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Make Room Publicly Searchable?", room.Config.Public));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { Public = value };
        }
        return true;
    }
}
