namespace XmppConf.Muc.Rooms;

/// <summary>
/// An occupant's role in the room (XEP-0045 §5.1): temporary, lasting one visit. Ordered so
/// that a greater value has more privileges.
/// </summary>
public enum Role { None, Visitor, Participant, Moderator }

/// <summary>XML names of <see cref="Role"/> (XEP-0045 §5.1).</summary>
public static class RoleNames
{
    public static string ToXmlName(this Role role) => role switch
    {
        Role.None => "none",
        Role.Visitor => "visitor",
        Role.Participant => "participant",
        Role.Moderator => "moderator",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? name, out Role role)
    {
        switch (name)
        {
            case "none": role = Role.None; return true;
            case "visitor": role = Role.Visitor; return true;
            case "participant": role = Role.Participant; return true;
            case "moderator": role = Role.Moderator; return true;
            default: role = default; return false;
        }
    }
}
