using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// muc#roomconfig_presencebroadcast: the roles whose presence others see (XEP-0045 §10.2).
/// <see cref="PresenceBroadcaster.IsBroadcast"/> applies it to every presence the room sends.
/// </summary>
internal sealed class PresenceBroadcastFeature : IRoomFeature
{
    public const string Var = "muc#roomconfig_presencebroadcast";

    public int Order => 116;

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(RoleListField(Var, "Roles for which Presence is Broadcasted", room.Config.PresenceBroadcast));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var != Var) return false;
        if (RoomConfigNames.TryParseRoleSet(field.Values, out var set))
        {
            submission.Config = submission.Config with { PresenceBroadcast = set };
        }
        else
        {
            error = ConfigFields.Invalid(field);
        }
        return true;
    }

    /// <summary>A list-multi of the three occupant roles with <paramref name="set"/> selected.</summary>
    public static FormField RoleListField(string var, string label, RoleSet set) =>
        new FormField(var, FormFieldType.ListMulti, label)
            .WithValues(set.ToXmlNames())
            .WithOption("moderator", "Moderator")
            .WithOption("participant", "Participant")
            .WithOption("visitor", "Visitor");
}
