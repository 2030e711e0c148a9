using XmppConf.Muc.Service;

namespace XmppConf.Muc.Rooms;

/// <summary>
/// The persisted configuration of a room (XEP-0045 §10.2, the muc#roomconfig form), immutable
/// and changed with <c>with</c>; two configs compare by value, so "did anything change" (status
/// 104, XEP-0045 §10.2.1) is a plain equality test. Affiliations (roomowners, roomadmins) are
/// not configuration: they live in <see cref="RoomState"/>.
/// </summary>
public sealed record RoomConfig
{
    /// <summary>muc#roomconfig_roomname: a natural-language room name.</summary>
    public string Name { get; init; } = "";

    /// <summary>muc#roomconfig_roomdesc: a short description.</summary>
    public string Description { get; init; } = "";

    /// <summary>muc#roomconfig_lang: the natural language of the discussion; empty when unset.</summary>
    public string Language { get; init; } = "";

    /// <summary>muc#roomconfig_enablelogging: the discussion is publicly logged (status 170/171).</summary>
    public bool EnableLogging { get; init; }

    /// <summary>muc#roomconfig_changesubject: participants, not just moderators, may change the subject.</summary>
    public bool ChangeSubject { get; init; }

    /// <summary>muc#roomconfig_allowinvites: occupants, not just admins, may invite.</summary>
    public bool AllowInvites { get; init; }

    /// <summary>muc#roomconfig_allowpm: who may send private messages to other occupants.</summary>
    public PmPolicy AllowPm { get; init; } = PmPolicy.Anyone;

    /// <summary>muc#roomconfig_maxusers: the most occupants the room admits; 0 means no limit of its own.</summary>
    public int MaxUsers { get; init; } = 25;

    /// <summary>muc#roomconfig_publicroom: listed in the service's disco#items.</summary>
    public bool Public { get; init; } = true;

    /// <summary>muc#roomconfig_persistentroom: survives its last occupant leaving and a restart.</summary>
    public bool Persistent { get; init; }

    /// <summary>muc#roomconfig_moderatedroom: only occupants with voice may speak.</summary>
    public bool Moderated { get; init; }

    /// <summary>muc#roomconfig_membersonly: only members (and above) may enter.</summary>
    public bool MembersOnly { get; init; }

    /// <summary>muc#roomconfig_passwordprotectedroom: entering needs <see cref="Password"/>.</summary>
    public bool PasswordProtected { get; init; }

    /// <summary>
    /// muc#roomconfig_roomsecret as a salted PBKDF2 hash (<see cref="XmppConf.Core.Security.SecretHash"/>);
    /// empty when none. The password itself is never stored; meaningful only when <see cref="PasswordProtected"/>.
    /// </summary>
    public string PasswordHash { get; init; } = "";

    /// <summary>muc#roomconfig_whois: who may see occupants' real JIDs (semi- or non-anonymous room).</summary>
    public WhoisPolicy Whois { get; init; } = WhoisPolicy.Moderators;

    /// <summary>muc#roomconfig_presencebroadcast: roles whose presence is broadcast.</summary>
    public RoleSet PresenceBroadcast { get; init; } = RoleSet.All;

    /// <summary>muc#roomconfig_getmemberlist: roles that may retrieve the member list.</summary>
    public RoleSet GetMemberList { get; init; } = RoleSet.All;

    /// <summary>muc#roomconfig_historylength (XEP-0045 §10.2 extension): messages kept as discussion history.</summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>The configuration of a new room on a service with <paramref name="options"/>.</summary>
    public static RoomConfig Default(MucOptions options) => new()
    {
        MaxUsers = Math.Min(options.DefaultMaxUsers, options.MaxUsersLimit),
        HistoryLength = Math.Min(options.DefaultHistoryLength, options.MaxHistoryLength),
    };
}

/// <summary>muc#roomconfig_allowpm values.</summary>
public enum PmPolicy { Anyone, Participants, Moderators, None }

/// <summary>muc#roomconfig_whois values: "moderators" (semi-anonymous) or "anyone" (non-anonymous).</summary>
public enum WhoisPolicy { Moderators, Anyone }

/// <summary>A set of roles, for config fields that list roles (presencebroadcast, getmemberlist).</summary>
[Flags]
public enum RoleSet
{
    Nobody = 0,
    Visitor = 1,
    Participant = 2,
    Moderator = 4,
    All = Visitor | Participant | Moderator,
}

/// <summary>Membership tests and XML names for <see cref="RoleSet"/> and the policy enums.</summary>
public static class RoomConfigNames
{
    public static bool Contains(this RoleSet set, Role role) => role switch
    {
        Role.Visitor => (set & RoleSet.Visitor) != 0,
        Role.Participant => (set & RoleSet.Participant) != 0,
        Role.Moderator => (set & RoleSet.Moderator) != 0,
        _ => false,
    };

    public static string ToXmlName(this PmPolicy policy) => policy switch
    {
        PmPolicy.Anyone => "anyone",
        PmPolicy.Participants => "participants",
        PmPolicy.Moderators => "moderators",
        PmPolicy.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    public static bool TryParsePmPolicy(string? name, out PmPolicy policy)
    {
        switch (name)
        {
            case "anyone": policy = PmPolicy.Anyone; return true;
            case "participants": policy = PmPolicy.Participants; return true;
            case "moderators": policy = PmPolicy.Moderators; return true;
            case "none": policy = PmPolicy.None; return true;
            default: policy = default; return false;
        }
    }

    public static string ToXmlName(this WhoisPolicy policy) => policy == WhoisPolicy.Anyone ? "anyone" : "moderators";

    public static bool TryParseWhois(string? name, out WhoisPolicy policy)
    {
        switch (name)
        {
            case "anyone": policy = WhoisPolicy.Anyone; return true;
            case "moderators": policy = WhoisPolicy.Moderators; return true;
            default: policy = default; return false;
        }
    }

    /// <summary>The role names in <paramref name="set"/>, highest first, as list-multi values.</summary>
    public static IEnumerable<string> ToXmlNames(this RoleSet set)
    {
        if ((set & RoleSet.Moderator) != 0) yield return "moderator";
        if ((set & RoleSet.Participant) != 0) yield return "participant";
        if ((set & RoleSet.Visitor) != 0) yield return "visitor";
    }

    /// <summary>Parses role names into a set; false on an unknown or non-occupant role.</summary>
    public static bool TryParseRoleSet(IEnumerable<string> names, out RoleSet set)
    {
        set = RoleSet.Nobody;
        foreach (var name in names)
        {
            switch (name)
            {
                case "moderator": set |= RoleSet.Moderator; break;
                case "participant": set |= RoleSet.Participant; break;
                case "visitor": set |= RoleSet.Visitor; break;
                default: return false;
            }
        }
        return true;
    }
}
