using System.Collections.Concurrent;

namespace XmppConf.Core.Xml;

/// <summary>
/// Process-wide intern table for element/attribute names, prefixes and namespace URIs, so parsing a
/// stanza does not allocate a string for "message" or "jabber:client" every time. Bounded: once full,
/// new names are simply allocated, so a peer inventing names cannot grow it without limit.
/// </summary>
internal static class NameTable
{
    private const int Capacity = 8192;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    static NameTable()
    {
        string[] common =
        [
            "stream", "message", "presence", "iq", "body", "subject", "thread", "error", "query", "item",
            "show", "status", "priority", "x", "c", "delay", "features", "starttls", "auth", "response",
            "success", "failure", "bind", "resource", "jid", "session", "ping", "enable", "enabled", "r", "a",
            "to", "from", "id", "type", "version", "lang", "xml", "xmlns", "stream", "mechanism", "node", "ver",
            "hash", "code", "reason", "nick", "role", "affiliation", "password", "history", "origin-id",
            Ns.Client, Ns.Server, Ns.Streams, Ns.Tls, Ns.Sasl, Ns.Bind, Ns.Session, Ns.StanzaErrors,
            Ns.StreamErrors, Ns.Roster, Ns.DiscoInfo, Ns.DiscoItems, Ns.Ping, Ns.Delay, Ns.Muc, Ns.MucUser,
            Ns.MucAdmin, Ns.MucOwner, Ns.DataForms, Ns.Commands, Ns.Version,
        ];
        foreach (var name in common)
        {
            Intern(name.AsSpan());
        }
    }

    public static string Intern(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return string.Empty;
        }
        if (Lookup.TryGetValue(chars, out var existing))
        {
            return existing;
        }

        var created = new string(chars);
        if (Volatile.Read(ref _count) < Capacity && Names.TryAdd(created, created))
        {
            Interlocked.Increment(ref _count);
        }
        return created;
    }
}
