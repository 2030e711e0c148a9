using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>XEP-0045 §7.2.5: only members (and admins, owners) enter a members-only room.</summary>
internal sealed class MembersOnlyFeature : IRoomFeature
{
    public int Order => 40;

    public const string Var = "muc#roomconfig_membersonly";

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.MembersOnly ? "muc_membersonly" : "muc_open");

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Boolean(Var, "Make Room Members-Only?", room.Config.MembersOnly));

    /// <summary>
    /// XEP-0045 §10.2: when a room becomes members-only, "the service MUST remove any non-members
    /// from the room and include a status code of 322" for them and the others. Runs before the
    /// 104 announcement, which the removed no longer get. Server admins may stay (they may enter).
    /// </summary>
    public void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> statusCodes)
    {
        if (before.MembersOnly || !after.MembersOnly) return;
        foreach (var occupant in room.State.Occupants.ToArray())
        {
            if (occupant.Affiliation < Affiliation.Member && !room.Host.IsServerAdmin(occupant.BareJid))
            {
                room.Evict(occupant, new PresenceEvent { IsUnavailable = true, Codes = [OccupantChanges.MembersOnly] });
            }
        }
    }

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (ConfigFields.TryReadBoolean(field, out var value, out error))
        {
            submission.Config = submission.Config with { MembersOnly = value };
        }
        return true;
    }

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join) =>
        room.Config.MembersOnly && join.Affiliation < Affiliation.Member && !join.IsServerAdmin
            ? StanzaError.RegistrationRequired("This room is members-only.")
            : null;
}
