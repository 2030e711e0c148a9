using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using XmppConf.Core.Sasl;
using XmppConf.Core.Stanzas;

namespace XmppConf.Core.Xml;

/// <summary>
/// Bounds the element and attribute names peers may make the process keep for good. XLinq atomises every
/// <see cref="XName"/> in a table owned by its <see cref="XNamespace"/>, and holds namespaces only weakly: a
/// name dies with the last reference to its namespace. But the namespaces this server holds in static fields
/// (no namespace, xml, xmlns, jabber:client, the stream, SASL, MUC namespaces …) never die, so every name a
/// peer invents in one of them would stay in memory until the process ends. Names in those "permanent"
/// namespaces are admitted here first: the known vocabulary always, new names while the budget lasts.
/// </summary>
/// <remarks>
/// One instance per server, shared by all its connections (thread-safe). Seeded names, and names in any other
/// namespace, cost nothing and are never refused: a namespace nobody holds is freed with its names once the
/// last stanza using it is gone. Checking a known name is two hash lookups and no allocation.
/// </remarks>
public sealed class XmlNameBudget
{
    /// <summary>
    /// Default for <c>Limits:MaxDistinctXmlNames</c>. The XMPP vocabulary in the permanent namespaces is a few
    /// hundred names; 20,000 leaves room for every extension clients use while capping what the budget pins at
    /// about 7 MB (≈ 360 bytes for a name of <see cref="MaxNameLength"/> characters, ≈ 100 for a short one).
    /// </summary>
    public const int DefaultCapacity = 20_000;

    /// <summary>Longest name admitted to a permanent namespace; no XMPP schema comes near it.</summary>
    public const int MaxNameLength = 128;

    private readonly FrozenSet<XNamespace> _permanent;
    private readonly ConcurrentDictionary<NameKey, byte> _admitted = new(NameKeyComparer.Instance);
    private readonly Action<int>? _exhausted;
    private int _count;
    private int _exhaustedReported;

    /// <param name="capacity">New names admitted beyond the seeded vocabulary.</param>
    /// <param name="permanentNamespaces">
    /// Namespace URIs held for good besides no namespace, xml, xmlns and those of <see cref="Ns"/>, e.g. the
    /// constants of a component's own namespace class (<see cref="ConstantsOf"/>).
    /// </param>
    /// <param name="exhausted">Called once, with the capacity, the first time a new name is refused for lack of room.</param>
    public XmlNameBudget(int capacity = DefaultCapacity, IEnumerable<string>? permanentNamespaces = null, Action<int>? exhausted = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _exhausted = exhausted;
        var permanent = new List<XNamespace> { XNamespace.None, XNamespace.Xml, XNamespace.Xmlns };
        permanent.AddRange(ConstantsOf(typeof(Ns)).Concat(permanentNamespaces ?? []).Select(XNamespace.Get));
        // Holding them here makes them permanent anyway, and identity is all a lookup needs.
        _permanent = permanent.ToFrozenSet<XNamespace>(ReferenceEqualityComparer.Instance);
    }

    public int Capacity { get; }

    /// <summary>New names admitted so far (the seeded vocabulary not counted).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The namespace URIs this budget treats as held for good (no namespace is "").</summary>
    public IEnumerable<string> PermanentNamespaces => _permanent.Select(ns => ns.NamespaceName);

    /// <summary>The values of the public string constants of <paramref name="constants"/>, e.g. a class of namespace URIs.</summary>
    public static IEnumerable<string> ConstantsOf(Type constants) =>
        constants.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>
    /// Whether <paramref name="localName"/> may be atomised in <paramref name="ns"/>: always outside the
    /// permanent namespaces and for known names; a new name only when <paramref name="admitNew"/> and the budget
    /// has room, in which case it is admitted for good.
    /// </summary>
    public XmlNameAdmission Admit(XNamespace ns, string localName, bool admitNew)
    {
        if (!_permanent.Contains(ns) || KnownVocabulary.Contains(localName) || _admitted.ContainsKey(new NameKey(ns, localName)))
        {
            return XmlNameAdmission.Admitted;
        }
        if (!admitNew)
        {
            return XmlNameAdmission.Unknown;
        }
        if (localName.Length > MaxNameLength)
        {
            return XmlNameAdmission.TooLong;
        }
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            if (Interlocked.Exchange(ref _exhaustedReported, 1) == 0)
            {
                _exhausted?.Invoke(Capacity);
            }
            return XmlNameAdmission.Exhausted;
        }
        if (!_admitted.TryAdd(new NameKey(ns, localName), 0))
        {
            // Another connection admitted the same name meanwhile: it counts once.
            Interlocked.Decrement(ref _count);
        }
        return XmlNameAdmission.Admitted;
    }

    /// <summary>
    /// Names the server and its clients use in the permanent namespaces, accepted in any of them and never
    /// counted: RFC 6120/6121 streams, negotiation and stanzas, every stream, stanza and SASL error condition,
    /// and the XEPs in docs/xeps.md plus the attributes common clients put on their payloads.
    /// </summary>
    private static readonly FrozenSet<string> KnownVocabulary = new[]
    {
        // RFC 6120 / 6121: stream, negotiation, stanzas, roster, stanza attributes; prefixes clients declare.
        "stream", "features", "error", "text", "starttls", "required", "proceed", "mechanisms", "mechanism",
        "auth", "challenge", "response", "success", "failure", "abort", "bind", "resource", "jid", "session",
        "optional", "message", "presence", "iq", "body", "subject", "thread", "show", "status", "priority",
        "query", "item", "items", "group", "ver", "approved", "ask", "subscription", "name", "to", "from", "id",
        "type", "version", "lang", "by", "code", "xmlns", "db", "parent", "sub", "pre-approval", "c",
        // XEP-0030, 0004, 0050, 0059, 0092, 0199, 0203, 0334, 0478, 0115.
        "identity", "feature", "category", "var", "node", "x", "field", "value", "option", "desc", "label",
        "instructions", "title", "reported", "media", "uri", "command", "actions", "prev", "next", "complete",
        "execute", "note", "action", "sessionid", "set", "max", "first", "last", "after", "before", "index",
        "count", "os", "ping", "delay", "stamp", "store", "no-store", "no-permanent-store", "no-copy", "limits",
        "max-bytes", "idle-seconds", "hash", "ext",
        // XEP-0045, 0359, 0421, 0410, 0077.
        "history", "password", "actor", "reason", "continue", "invite", "decline", "destroy", "alternate",
        "nick", "role", "affiliation", "maxchars", "maxstanzas", "seconds", "since", "unique", "stanza-id",
        "origin-id", "occupant-id", "register", "remove", "registered", "username", "email",
        // Common client payload attributes (XEP-0184, 0085, 0308, 0313, 0280, 0461, 0444, 0066).
        "received", "request", "replace", "queryid", "with", "start", "end", "url", "xml",
    }
        .Concat(Enum.GetValues<StreamErrorCondition>().Select(c => c.ToXmlName()))
        .Concat(Enum.GetValues<StanzaErrorCondition>().Select(c => c.ToXmlName()))
        .Concat(Enum.GetValues<SaslFailure>().Select(c => c.ToXmlName()))
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly record struct NameKey(XNamespace Namespace, string LocalName);

    private sealed class NameKeyComparer : IEqualityComparer<NameKey>
    {
        public static readonly NameKeyComparer Instance = new();

        public bool Equals(NameKey x, NameKey y) =>
            ReferenceEquals(x.Namespace, y.Namespace) && string.Equals(x.LocalName, y.LocalName, StringComparison.Ordinal);

        public int GetHashCode(NameKey key) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(key.Namespace), key.LocalName.GetHashCode(StringComparison.Ordinal));
    }
}
