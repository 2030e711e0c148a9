using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_roomadmins and muc#roomconfig_roomowners (XEP-0045 §10.2): the owner may set
/// the complete admin and owner lists through the configuration form. Each value is a bare JID;
/// anything else makes the submission not-acceptable.
/// </summary>
internal sealed class AffiliationListsFeature : IRoomFeature
{
    public const string AdminsVar = "muc#roomconfig_roomadmins";
    public const string OwnersVar = "muc#roomconfig_roomowners";

    public int Order => 900;

    public void ContributeConfigForm(RoomContext room, DataForm form)
    {
        form.Add(List(room, AdminsVar, "Room Admins", Affiliation.Admin));
        form.Add(List(room, OwnersVar, "Room Owners", Affiliation.Owner));
    }

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var is not (AdminsVar or OwnersVar)) return false;
        var jids = new List<Jid>(field.Values.Count);
        foreach (var value in field.Values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (!Jid.TryParse(value.Trim(), out var jid) || jid.Resource is not null || jid.Local is null)
            {
                error = StanzaError.NotAcceptable($"'{value}' is not a bare JID.");
                return true;
            }
            if (!jids.Contains(jid)) jids.Add(jid);
        }
        if (field.Var == AdminsVar) submission.Admins = jids;
        else submission.Owners = jids;
        return true;
    }

    private static FormField List(RoomContext room, string var, string label, Affiliation level)
    {
        var field = new FormField(var, FormFieldType.JidMulti, label);
        foreach (var (jid, entry) in room.State.Affiliations)
        {
            if (entry.Affiliation == level) field.Values.Add(jid.ToString());
        }
        field.Values.Sort(StringComparer.Ordinal);
        return field;
    }
}
