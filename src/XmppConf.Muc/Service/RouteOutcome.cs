namespace XmppConf.Muc.Service;

/// <summary>What became of a stanza handed to the registry.</summary>
internal enum RouteOutcome
{
    /// <summary>In the room's mailbox.</summary>
    Delivered,

    /// <summary>The room's mailbox is full (resource-constraint).</summary>
    Full,

    /// <summary>No such room, and the stanza does not create one (item-not-found).</summary>
    NoSuchRoom,

    /// <summary>The sender may not create rooms (not-allowed, XEP-0045 §10.1.1).</summary>
    CreationRefused,

    /// <summary>The service holds as many rooms as it may (resource-constraint).</summary>
    TooManyRooms,

    /// <summary>The sender created Muc:RoomCreationsPerUserPerHour rooms lately (resource-constraint, wait).</summary>
    CreationRateExceeded,
}
