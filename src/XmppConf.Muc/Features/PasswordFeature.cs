using XmppConf.Core.DataForms;
using XmppConf.Core.Security;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>XEP-0045 §7.2.6: entering a password-protected room needs the password, else not-authorized.</summary>
internal sealed class PasswordFeature : IRoomFeature
{
    public int Order => 50;

    public const string ProtectedVar = "muc#roomconfig_passwordprotectedroom";
    public const string SecretVar = "muc#roomconfig_roomsecret";

    public void ContributeDiscoInfo(RoomContext room, DiscoInfo info) =>
        info.AddFeature(room.Config.PasswordProtected ? "muc_passwordprotected" : "muc_unsecured");

    public void ContributeConfigForm(RoomContext room, DataForm form)
    {
        form.Add(ConfigFields.Boolean(ProtectedVar, "Password Required to Enter?", room.Config.PasswordProtected));
        // Only a hash is stored, so the secret cannot be shown back; an empty submission keeps it.
        form.Add(new FormField(SecretVar, FormFieldType.TextPrivate, "Password (leave empty to keep the current one)"));
    }

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        switch (field.Var)
        {
            case ProtectedVar:
                if (ConfigFields.TryReadBoolean(field, out var value, out error))
                {
                    submission.Config = submission.Config with { PasswordProtected = value };
                }
                return true;
            case SecretVar:
                // Clients send the whole form back: an empty secret means "unchanged", not "no password".
                if (!string.IsNullOrEmpty(field.Value))
                {
                    submission.Config = submission.Config with { PasswordHash = SecretHash.Hash(field.Value) };
                    submission.NewPassword = field.Value;
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>XEP-0045 §10.1.3: a password-protected room with a blank password is not-acceptable.</summary>
    public StanzaError? ValidateConfig(RoomContext room, RoomConfig proposed) =>
        proposed.PasswordProtected && proposed.PasswordHash.Length == 0
            ? StanzaError.NotAcceptable("A password-protected room needs a password.")
            : null;

    public StanzaError? CheckJoin(RoomContext room, JoinRequest join)
    {
        // Another session of an occupant already admitted under this nick is the same user.
        if (!room.Config.PasswordProtected || join.JoinsExisting is not null || join.CreatesRoom) return null;
        return SecretHash.Verify(room.Config.PasswordHash, join.Password)
            ? null
            : StanzaError.NotAuthorized("A password is required to enter this room.");
    }
}
