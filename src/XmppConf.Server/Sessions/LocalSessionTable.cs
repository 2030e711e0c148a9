using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Server.Options;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Server.Sessions;

/// <summary>The result of a bind request: the JID bound, or the stanza error to return.</summary>
internal readonly record struct BindOutcome(Jid? Bound, StanzaError? Error);

/// <summary>
/// The sessions connected to this node, by full JID and by account. The shared view (which
/// resources are online anywhere, with what presence) lives in <see cref="IPresenceTable"/>;
/// this table holds the live connection objects that can actually be written to.
/// </summary>
internal sealed class LocalSessionTable
{
    private readonly ConcurrentDictionary<Jid, ClientSession> _byFullJid = new();
    private readonly ConcurrentDictionary<Jid, ClientSession[]> _byAccount = new();
    private readonly IPresenceTable _presence;
    private readonly ServerOptions _server;
    private readonly LimitsOptions _limits;
    private readonly string _nodeId;

    public LocalSessionTable(IPresenceTable presence, IOptions<ServerOptions> server, IOptions<LimitsOptions> limits, NodeIdentity node)
    {
        _presence = presence;
        _server = server.Value;
        _limits = limits.Value;
        _nodeId = node.Id;
    }

    public int Count => _byFullJid.Count;

    public static string NewResource() => "xc-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public ClientSession? Find(Jid fullJid) => _byFullJid.GetValueOrDefault(fullJid);

    /// <summary>All local sessions of an account; an empty array when none. Lock-free snapshot.</summary>
    public ClientSession[] ForAccount(Jid bare) => _byAccount.GetValueOrDefault(bare) ?? [];

    public IEnumerable<ClientSession> All => _byFullJid.Values;

    public async Task<BindOutcome> BindAsync(ClientSession session, Jid requested, CancellationToken ct)
    {
        var bare = requested.Bare;
        var full = requested;
        if (_byFullJid.TryGetValue(full, out var existing))
        {
            switch (_server.ResourceConflict)
            {
                case ResourceConflictPolicy.RefuseNew:
                    return new BindOutcome(null, StanzaError.Conflict("Resource already in use."));
                case ResourceConflictPolicy.Rename:
                    full = bare.WithResource(NewResource());
                    break;
                default:
                    // RFC 6120 §7.7.2.2: the old session is terminated with a <conflict/> stream error.
                    existing.Close(StreamErrorCondition.Conflict, "Replaced by a new connection.");
                    // Its end (unavailable presence, components) completes before the successor takes the
                    // slot; done later, it would land on the successor, which has the same full JID.
                    await existing.EndAsync().ConfigureAwait(false);
                    break;
            }
        }
        if (ForAccount(bare).Length >= _limits.MaxResourcesPerAccount)
        {
            // RFC 6120 §7.6.2.1: too many connected resources.
            return new BindOutcome(null, StanzaError.ResourceConstraint("Too many sessions for this account."));
        }
        var entry = new SessionEntry(full.ToString(), _nodeId, 0, false, null, DateTimeOffset.UtcNow);
        if (!await _presence.TryAddAsync(entry, ct).ConfigureAwait(false))
        {
            return new BindOutcome(null, StanzaError.Conflict("Resource already in use."));
        }
        // The JID is the session's before anyone can find it, so whoever ends it knows which slot to free.
        session.FullJid = full;
        if (!_byFullJid.TryAdd(full, session))
        {
            session.FullJid = null;
            await _presence.RemoveAsync(full.ToString(), ct).ConfigureAwait(false);
            return new BindOutcome(null, StanzaError.Conflict("Resource already in use."));
        }
        _byAccount.AddOrUpdate(bare, static (_, s) => [s], static (_, list, s) => [.. list, s], session);
        return new BindOutcome(full, null);
    }

    /// <summary>
    /// Removes a session at its end. False when it no longer held its slot (already removed, or the
    /// slot belongs to a successor with the same full JID): then nothing about its end may be announced.
    /// </summary>
    public Task<bool> RemoveAsync(ClientSession session) => session.FullJid is { } full ? RemoveAsync(session, full) : Task.FromResult(false);

    private async Task<bool> RemoveAsync(ClientSession session, Jid full)
    {
        if (!_byFullJid.TryRemove(new KeyValuePair<Jid, ClientSession>(full, session))) return false;
        var bare = full.Bare;
        while (_byAccount.TryGetValue(bare, out var list))
        {
            var remaining = Array.FindAll(list, s => !ReferenceEquals(s, session));
            var updated = remaining.Length == 0
                ? _byAccount.TryRemove(new KeyValuePair<Jid, ClientSession[]>(bare, list))
                : _byAccount.TryUpdate(bare, remaining, list);
            if (updated) break;
        }
        await _presence.RemoveAsync(full.ToString()).ConfigureAwait(false);
        return true;
    }
}
