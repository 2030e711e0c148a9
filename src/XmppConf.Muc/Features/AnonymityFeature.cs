using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Who sees real JIDs (XEP-0045 §4.2 semi-anonymous / non-anonymous, muc#roomconfig_whois).
/// On entry to a non-anonymous room the occupant is warned with status 100 (§7.2.4); a change
/// is announced with 172 (now non-anonymous) or 173 (now semi-anonymous), §10.2.1.
/// </summary>
internal sealed class AnonymityFeature : IRoomFeature
{
    public const string WhoisVar = "muc#roomconfig_whois";

    public int Order => 80;

    public void AddJoinStatusCodes(RoomContext room, JoinRequest join, List<int> codes)
    {
        if (room.Config.Whois == WhoisPolicy.Anyone) codes.Add(100);
    }

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.Whois == WhoisPolicy.Anyone ? "muc_nonanonymous" : "muc_semianonymous");

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.ListSingle(WhoisVar, "Who May Discover Real JIDs?", room.Config.Whois.ToXmlName(),
            ("moderators", "Moderators Only"), ("anyone", "Anyone")));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != WhoisVar) return false;
        if (RoomConfigNames.TryParseWhois(field.Value, out var whois))
        {
            submission.Config = submission.Config with { Whois = whois };
        }
        else
        {
            error = ConfigFields.Invalid(field);
        }
        return true;
    }

    public void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> statusCodes)
    {
        if (before.Whois != after.Whois)
        {
            statusCodes.Add(after.Whois == WhoisPolicy.Anyone ? 172 : 173);
        }
    }
}
