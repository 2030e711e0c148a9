using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// The room's name, description and language (muc#roomconfig_roomname / _roomdesc / _lang),
/// shown in disco#info (identity name, muc#roominfo_description / _lang, XEP-0045 §6.4).
/// </summary>
internal sealed class RoomInfoFeature : IRoomFeature
{
    public const string NameVar = "muc#roomconfig_roomname";
    public const string DescriptionVar = "muc#roomconfig_roomdesc";
    public const string LangVar = "muc#roomconfig_lang";

    private const int MaxLength = 1024;

    public int Order => 1;

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info)
    {
        if (info.Form is null) return;
        info.Form.Add(new FormField("muc#roominfo_description", label: "Description").WithValue(room.Config.Description));
        if (room.Config.Language.Length > 0)
        {
            info.Form.Add(new FormField("muc#roominfo_lang", label: "Language of discussion").WithValue(room.Config.Language));
        }
    }

    public void ContributeConfigForm(RoomContext room, DataForm form)
    {
        form.Add(ConfigFields.Text(NameVar, "Natural-Language Room Name", room.Config.Name));
        form.Add(ConfigFields.Text(DescriptionVar, "Short Description of Room", room.Config.Description));
        form.Add(ConfigFields.Text(LangVar, "Natural Language for Room Discussions", room.Config.Language));
    }

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        switch (field.Var)
        {
            case NameVar:
            case DescriptionVar:
            case LangVar:
                var value = field.JoinedValue;
                if (field.Values.Count == 0) value = "";
                if (value.Length > MaxLength)
                {
                    error = ConfigFields.Invalid(field);
                    return true;
                }
                submission.Config = field.Var switch
                {
                    NameVar => submission.Config with { Name = value },
                    DescriptionVar => submission.Config with { Description = value },
                    _ => submission.Config with { Language = value },
                };
                return true;
            default:
                return false;
        }
    }
}
