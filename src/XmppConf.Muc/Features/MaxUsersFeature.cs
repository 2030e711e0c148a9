using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// XEP-0045 §7.2.10: a full room refuses newcomers with service-unavailable; admins and owners
/// may still enter. A room configured without a limit (0) is capped by MucOptions.MaxUsersLimit.
/// </summary>
internal sealed class MaxUsersFeature : IRoomFeature
{
    public int Order => 60;

    public const string Var = "muc#roomconfig_maxusers";

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info)
    {
        if (info.Form is null) return;
        info.Form.Add(new FormField("muc#roominfo_occupants", label: "Number of occupants").WithValue(room.State.OccupantCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void ContributeConfigForm(RoomContext room, DataForm form)
    {
        var current = room.Config.MaxUsers <= 0 ? "none" : room.Config.MaxUsers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var field = ConfigFields.ListSingle(Var, "Maximum Number of Occupants", current);
        foreach (var n in new[] { 10, 20, 30, 50, 100, 200, 500, 1000 })
        {
            if (n <= room.Options.MaxUsersLimit) field.WithOption(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        field.WithOption("none", "None");
        form.Add(field);
    }

    /// <summary>Any whole number up to MucOptions.MaxUsersLimit, or "none"/0 for the service's limit.</summary>
    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (field.Value == "none")
        {
            submission.Config = submission.Config with { MaxUsers = 0 };
        }
        else if (ConfigFields.TryReadInt(field, out var value, out error))
        {
            if (value > room.Options.MaxUsersLimit)
            {
                error = StanzaError.NotAcceptable($"The most occupants a room may have is {room.Options.MaxUsersLimit}.");
            }
            else
            {
                submission.Config = submission.Config with { MaxUsers = value };
            }
        }
        return true;
    }

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
    {
        if (join.JoinsExisting is not null || join.Affiliation >= Affiliation.Admin || join.IsServerAdmin) return null;
        return room.State.OccupantCount >= Limit(room)
            ? StanzaError.ServiceUnavailable("This room has reached its maximum number of occupants.")
            : null;
    }

    public static int Limit(RoomContext room) =>
        room.Config.MaxUsers <= 0 ? room.Options.MaxUsersLimit : Math.Min(room.Config.MaxUsers, room.Options.MaxUsersLimit);
}
