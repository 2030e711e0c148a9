namespace XmppConf.Muc.Rooms;

/// <summary>
/// A user's long-lived affiliation with the room (XEP-0045 §5.2), keyed by bare JID. Ordered so
/// that a greater value has more privileges; <see cref="Outcast"/> (banned) is the lowest, and
/// the default value is <see cref="None"/>.
/// </summary>
public enum Affiliation { Outcast = -1, None = 0, Member = 1, Admin = 2, Owner = 3 }

/// <summary>XML names of <see cref="Affiliation"/> (XEP-0045 §5.2).</summary>
public static class AffiliationNames
{
    public static string ToXmlName(this Affiliation affiliation) => affiliation switch
    {
        Affiliation.Outcast => "outcast",
        Affiliation.None => "none",
        Affiliation.Member => "member",
        Affiliation.Admin => "admin",
        Affiliation.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(affiliation)),
    };

    public static bool TryParse(string? name, out Affiliation affiliation)
    {
        switch (name)
        {
            case "outcast": affiliation = Affiliation.Outcast; return true;
            case "none": affiliation = Affiliation.None; return true;
            case "member": affiliation = Affiliation.Member; return true;
            case "admin": affiliation = Affiliation.Admin; return true;
            case "owner": affiliation = Affiliation.Owner; return true;
            default: affiliation = default; return false;
        }
    }
}
