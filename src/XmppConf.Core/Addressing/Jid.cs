using System.Diagnostics.CodeAnalysis;

namespace XmppConf.Core.Addressing;

/// <summary>
/// An XMPP address (RFC 7622), always held in prepared form, so equality is plain ordinal
/// comparison of the parts. Immutable; the canonical string, bare form and hash are computed
/// once and cached.
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private string? _text;
    private Jid? _bare;
    private int _hash;

    private Jid(string? local, string domain, string? resource, string? text)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
        _text = text;
    }

    /// <summary>The localpart (UsernameCaseMapped), or null.</summary>
    public string? Local { get; }

    /// <summary>The domainpart: lower case, U-labels, no trailing dot.</summary>
    public string Domain { get; }

    /// <summary>The resourcepart (OpaqueString, case preserved), or null.</summary>
    public string? Resource { get; }

    public bool IsBare => Resource is null;

    /// <summary>A server or component address: no localpart and no resourcepart.</summary>
    public bool IsDomain => Local is null && Resource is null;

    /// <summary>This address without its resourcepart (this instance when already bare).</summary>
    public Jid Bare => Resource is null ? this : _bare ??= new Jid(Local, Domain, null, null);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Jid? jid)
    {
        jid = text is null ? null : ParseCore(text, out _);
        return jid is not null;
    }

    /// <exception cref="FormatException">The text is not a valid JID.</exception>
    public static Jid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseCore(text, out var error) ?? throw new FormatException(error);
    }

    /// <summary>Builds a JID from separate parts, preparing each as Parse would.</summary>
    /// <exception cref="FormatException">A part is invalid.</exception>
    public static Jid Create(string? local, string domain, string? resource = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string? preparedLocal = null;
        string? preparedResource = null;
        if (local is not null && !JidParts.TryPrepareLocalpart(local, out preparedLocal))
        {
            throw new FormatException("Invalid JID localpart.");
        }
        if (!JidParts.TryPrepareDomainpart(domain, out var preparedDomain))
        {
            throw new FormatException("Invalid JID domainpart.");
        }
        if (resource is not null && !JidParts.TryPrepareResourcepart(resource, out preparedResource))
        {
            throw new FormatException("Invalid JID resourcepart.");
        }
        return new Jid(preparedLocal, preparedDomain, preparedResource, null);
    }

    /// <summary>The same bare address with another resource; null gives the bare JID.</summary>
    /// <exception cref="FormatException">The resource is invalid.</exception>
    public Jid WithResource(string? resource)
    {
        if (resource is null) return Bare;
        if (!JidParts.TryPrepareResourcepart(resource, out var prepared))
        {
            throw new FormatException("Invalid JID resourcepart.");
        }
        return string.Equals(prepared, Resource, StringComparison.Ordinal) ? this : new Jid(Local, Domain, prepared, null);
    }

    /// <summary>The canonical string form: localpart@domainpart/resourcepart.</summary>
    public override string ToString() => _text ??= Format();

    public bool Equals(Jid? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Domain, other.Domain, StringComparison.Ordinal)
                && string.Equals(Local, other.Local, StringComparison.Ordinal)
                && string.Equals(Resource, other.Resource, StringComparison.Ordinal)));

    public override bool Equals(object? obj) => obj is Jid other && Equals(other);

    public override int GetHashCode()
    {
        // 0 marks "not computed"; a real hash of 0 is just recomputed each time.
        var hash = _hash;
        if (hash == 0)
        {
            hash = HashCode.Combine(
                Local is null ? 0 : string.GetHashCode(Local, StringComparison.Ordinal),
                string.GetHashCode(Domain, StringComparison.Ordinal),
                Resource is null ? 0 : string.GetHashCode(Resource, StringComparison.Ordinal));
            _hash = hash;
        }
        return hash;
    }

    public static bool operator ==(Jid? left, Jid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Jid? left, Jid? right) => !(left == right);

    private static Jid? ParseCore(string text, out string? error)
    {
        // RFC 7622 §3.2: the resourcepart is everything after the first '/', the localpart
        // everything before the first '@' that comes before that '/'.
        var slash = text.IndexOf('/');
        var end = slash < 0 ? text.Length : slash;
        var at = text.IndexOf('@', 0, end);

        string? local = null;
        var rawLocal = at < 0 ? null : text[..at];
        if (rawLocal is not null && !JidParts.TryPrepareLocalpart(rawLocal, out local))
        {
            error = "Invalid JID localpart.";
            return null;
        }

        var rawDomain = text[(at + 1)..end];
        if (!JidParts.TryPrepareDomainpart(rawDomain, out var domain))
        {
            error = "Invalid JID domainpart.";
            return null;
        }

        string? resource = null;
        string? rawResource = null;
        if (slash >= 0)
        {
            rawResource = text[(slash + 1)..];
            if (!JidParts.TryPrepareResourcepart(rawResource, out resource))
            {
                error = "Invalid JID resourcepart.";
                return null;
            }
        }

        // Preparation hands back the very substring when nothing changed; then the input already
        // is the canonical form and needs no second string.
        var canonical = ReferenceEquals(local, rawLocal)
            && ReferenceEquals(domain, rawDomain)
            && ReferenceEquals(resource, rawResource);
        error = null;
        return new Jid(local, domain, resource, canonical ? text : null);
    }

    private string Format()
    {
        var length = Domain.Length + (Local is null ? 0 : Local.Length + 1) + (Resource is null ? 0 : Resource.Length + 1);
        return string.Create(length, this, static (span, jid) =>
        {
            var position = 0;
            if (jid.Local is not null)
            {
                jid.Local.AsSpan().CopyTo(span);
                position = jid.Local.Length;
                span[position++] = '@';
            }
            jid.Domain.AsSpan().CopyTo(span[position..]);
            position += jid.Domain.Length;
            if (jid.Resource is not null)
            {
                span[position++] = '/';
                jid.Resource.AsSpan().CopyTo(span[position..]);
            }
        });
    }
}
