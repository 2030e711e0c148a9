using System.Text.Json.Serialization;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Service;

/// <summary>
/// What a stored room keeps in <see cref="Storage.Abstractions.StoredRoom.ConfigJson"/>: the
/// configuration and the occupant-id salt (XEP-0421 ids must survive restarts). Unknown JSON
/// members are ignored and missing ones take defaults, so the record can grow without migration.
/// </summary>
internal sealed record RoomDocument(RoomConfig Config, string OccupantIdSalt);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RoomDocument))]
internal sealed partial class RoomJsonContext : JsonSerializerContext;
