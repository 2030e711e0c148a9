namespace XmppConf.Muc.Service;

/// <summary>Who may create a room by entering one that does not exist (XEP-0045 §10.1.1).</summary>
public enum RoomCreationPolicy
{
    /// <summary>Any user, local or remote.</summary>
    Anyone,

    /// <summary>Users of this server's domain (the default).</summary>
    LocalUsers,

    /// <summary>Server administrators only.</summary>
    AdminsOnly,
}
