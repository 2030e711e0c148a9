using System.Globalization;
using System.Xml.Linq;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// Discussion history (XEP-0045 §7.2.14): the room keeps its last HistoryLength groupchat
/// messages and replays them to a newcomer after its self-presence, each with a XEP-0203
/// &lt;delay/&gt; from the room, limited by the &lt;history/&gt; request's maxchars,
/// maxstanzas, seconds and since (all that are given apply).
/// </summary>
internal sealed class HistoryFeature : IRoomFeature
{
    private static readonly XNamespace Delay = Ns.Delay;

    public int Order => 100;

    /// <summary>XEP-0045 §10.2 muc#maxhistoryfetch; Prosody's muc#roomconfig_historylength is accepted too.</summary>
    public const string Var = "muc#maxhistoryfetch";
    public const string AliasVar = "muc#roomconfig_historylength";

    public void ContributeConfigForm(RoomContext room, DataForm form) =>
        form.Add(ConfigFields.Text(Var, "Maximum Number of History Messages Returned by Room",
            room.Config.HistoryLength.ToString(CultureInfo.InvariantCulture)));

    public bool TryApplyConfigField(RoomContext room, FormField field, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (field.Var is not (Var or AliasVar)) return false;
        if (ConfigFields.TryReadInt(field, out var value, out error))
        {
            if (value > room.Options.MaxHistoryLength)
            {
                error = StanzaError.NotAcceptable($"The longest history a room may keep is {room.Options.MaxHistoryLength}.");
            }
            else
            {
                submission.Config = submission.Config with { HistoryLength = value };
            }
        }
        return true;
    }

    public void OnConfigChanged(RoomContext room, RoomConfig before, RoomConfig after, List<int> statusCodes)
    {
        var history = room.State.History;
        while (history.Count > after.HistoryLength) history.Dequeue();
    }

    public void OnGroupchatSent(RoomContext room, Occupant sender, BroadcastStanza sent)
    {
        // Only messages with a body are discussion (§7.2.14); chat states and receipts are not.
        if (sent.Template.Element(XName.Get("body", Ns.Client)) is null) return;
        var history = room.State.History;
        var length = Math.Min(room.Config.HistoryLength, room.Options.MaxHistoryLength);
        if (length <= 0) return;
        // The size counts the whole stanza as sent (§7.2.14 maxchars), here its UTF-8 length
        // without 'to', which the server has serialised for the broadcast anyway.
        history.Enqueue(new HistoryEntry(sent, room.Now, sent.Utf8WithoutTo.Length));
        while (history.Count > length) history.Dequeue();
    }

    public void OnJoined(RoomContext room, Occupant occupant, JoinRequest join)
    {
        var history = room.State.History;
        if (history.Count == 0) return;
        var entries = history.ToArray();
        var first = FirstToSend(entries, join.History, room.Now);
        var stamp = room.RoomJid.ToString();
        for (var i = first; i < entries.Length; i++)
        {
            var message = entries[i].Message.ToElement(join.RealJid);
            message.Add(new XElement(Delay + "delay",
                new XAttribute("from", stamp),
                new XAttribute("stamp", entries[i].At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))));
            room.Output.Send(message, join.RealJid);
        }
    }

    /// <summary>The index of the oldest entry the request allows; entries.Length when none.</summary>
    internal static int FirstToSend(HistoryEntry[] entries, XElement? request, DateTimeOffset now)
    {
        var maxStanzas = ReadInt(request, "maxstanzas");
        var maxChars = ReadInt(request, "maxchars");
        var seconds = ReadInt(request, "seconds");
        DateTimeOffset? since = null;
        if (request?.Attribute("since")?.Value is { } sinceText
            && DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            since = parsed;
        }
        var notBefore = seconds is { } s ? now.AddSeconds(-s) : (DateTimeOffset?)null;
        if (since is { } sinceValue && (notBefore is null || sinceValue > notBefore)) notBefore = sinceValue;

        var first = entries.Length;
        var chars = 0;
        var count = 0;
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (maxStanzas is { } ms && count >= ms) break;
            if (notBefore is { } nb && entries[i].At < nb) break;
            if (maxChars is { } mc && chars + entries[i].Chars > mc) break;
            chars += entries[i].Chars;
            count++;
            first = i;
        }
        return first;
    }

    private static int? ReadInt(XElement? request, string name) =>
        request?.Attribute(name)?.Value is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
