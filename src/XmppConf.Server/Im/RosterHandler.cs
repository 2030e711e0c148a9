using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Options;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Im;

/// <summary>Roster get and set (RFC 6121 §2), with versioning (§2.6) and removal side effects (§2.5).</summary>
internal sealed class RosterHandler(IRosterStore store, RosterPushes pushes, SubscriptionService subscriptions, IOptions<LimitsOptions> limits) : IIqHandler, IFeatureProvider
{
    private const int MaxNameLength = 1024;
    // Groups of one item: enough for any real use, small enough that a set cannot be made expensive.
    private const int MaxGroupsPerItem = 64;
    private static readonly XNamespace R = Ns.Roster;

    public XName Payload => R + "query";
    public IqTarget Target => IqTarget.Account;
    public IEnumerable<string> Features => [Ns.Roster];

    public async ValueTask<IqResponse> HandleAsync(IqRequest request, CancellationToken ct)
    {
        // RFC 6121 §2.1.5: only the user may read or change their own roster.
        if (!request.To.Equals(request.From.Bare)) return IqResponse.Fail(StanzaError.Forbidden());
        return request.IsSet ? await SetAsync(request, ct).ConfigureAwait(false) : await GetAsync(request, ct).ConfigureAwait(false);
    }

    private async ValueTask<IqResponse> GetAsync(IqRequest request, CancellationToken ct)
    {
        request.Sender.Presence.Interested = true;
        var owner = request.From.Bare.ToString();
        var version = (await store.GetVersionAsync(owner, ct).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        // §2.6.3: the client's version is current → empty result; changes arrive as pushes.
        if (request.Payload.Attribute("ver")?.Value == version) return IqResponse.Empty;
        var query = new XElement(R + "query", new XAttribute("ver", version));
        foreach (var item in await store.GetAllAsync(owner, ct).ConfigureAwait(false))
        {
            if (item.InRoster) query.Add(RosterPushes.ToXml(item));
        }
        return IqResponse.With(query);
    }

    private async ValueTask<IqResponse> SetAsync(IqRequest request, CancellationToken ct)
    {
        var items = request.Payload.Elements(R + "item").ToList();
        // §2.3.3: a roster set carries exactly one item.
        if (items.Count != 1) return IqResponse.Fail(StanzaError.BadRequest("Exactly one item is required."));
        var element = items[0];
        if (!Jid.TryParse(element.Attribute("jid")?.Value, out var contactJid) || !contactJid.IsBare)
        {
            return IqResponse.Fail(StanzaError.BadRequest("The item needs a bare JID."));
        }
        var user = request.From.Bare;
        var owner = user.ToString();
        var contact = contactJid.ToString();
        var subscription = element.Attribute("subscription")?.Value;
        if (subscription == "remove")
        {
            var error = await subscriptions.RemoveContactAsync(request.Sender, contactJid, ct).ConfigureAwait(false);
            return error is null ? IqResponse.Empty : IqResponse.Fail(error);
        }
        var name = element.Attribute("name")?.Value;
        if (name is { Length: > MaxNameLength }) return IqResponse.Fail(StanzaError.NotAcceptable("Name too long."));
        var groups = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in element.Elements(R + "group"))
        {
            if (groups.Count == MaxGroupsPerItem) return IqResponse.Fail(StanzaError.NotAcceptable("Too many groups."));
            var g = group.Value;
            // §2.3.3: empty or duplicate groups are not-acceptable / bad-request.
            if (g.Length == 0 || g.Length > MaxNameLength) return IqResponse.Fail(StanzaError.NotAcceptable("Invalid group name."));
            if (!seen.Add(g)) return IqResponse.Fail(StanzaError.BadRequest("Duplicate group."));
            groups.Add(g);
        }
        // Read, check the quota and write as one step with respect to subscription changes of this item.
        using var _ = await subscriptions.LockRosterItemAsync(user, contactJid, ct).ConfigureAwait(false);
        var none = CancellationToken.None;
        var existing = await store.GetAsync(owner, contact, none).ConfigureAwait(false);
        if (existing is null or { InRoster: false } && await store.CountAsync(owner, none).ConfigureAwait(false) >= limits.Value.MaxRosterItems)
        {
            return IqResponse.Fail(StanzaError.NotAllowed("The roster is full."));
        }
        // Subscription state is the server's: a client cannot set it (§2.1.2.5), only name and groups.
        var item = existing is null
            ? new RosterItem(contact, name, SubscriptionState.None, false, false, false, true, groups)
            : existing with { Name = name, Groups = groups, InRoster = true };
        var version = await store.SetAsync(owner, item, none).ConfigureAwait(false);
        pushes.Push(user, item, contact, version);
        return IqResponse.Empty;
    }
}
