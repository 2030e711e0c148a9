using System.Text;

namespace XmppConf.Load;

/// <summary>
/// Stream negotiation of RFC 6120: stream header, optional STARTTLS (§5), SASL (§6) with
/// SCRAM-SHA-1 or PLAIN, stream restart, resource binding (§7) and, if a server still asks
/// for it, the legacy session (RFC 3921 §3).
/// </summary>
internal static class ClientLogin
{
    public static async Task<XmppConnection> LoginAsync(LoadOptions o, string user, CancellationToken ct)
    {
        var c = await XmppConnection.ConnectAsync(o, ct).ConfigureAwait(false);
        try
        {
            var features = await OpenStreamAsync(c, o.Domain, ct).ConfigureAwait(false);
            if (o.StartTls && features.Contains("urn:ietf:params:xml:ns:xmpp-tls", StringComparison.Ordinal))
            {
                await c.SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", ct).ConfigureAwait(false);
                var answer = (await c.ReadAsync(ct).ConfigureAwait(false)).Text;
                if (!answer.StartsWith("<proceed", StringComparison.Ordinal)) throw new LoadException("STARTTLS refused: " + answer);
                await c.UpgradeToTlsAsync(o.Domain, ct).ConfigureAwait(false);
                features = await OpenStreamAsync(c, o.Domain, ct).ConfigureAwait(false);
            }
            if (features.Contains("xmpp-tls'><required", StringComparison.Ordinal) || features.Contains("xmpp-tls\"><required", StringComparison.Ordinal))
                throw new LoadException("The server requires STARTTLS: pass --starttls, or start it with --Tls:RequireStartTls=false.");
            if (features.Contains(">SCRAM-SHA-1<", StringComparison.Ordinal)) await ScramAsync(c, user, o.Password, ct).ConfigureAwait(false);
            else if (features.Contains(">PLAIN<", StringComparison.Ordinal)) await PlainAsync(c, user, o.Password, ct).ConfigureAwait(false);
            else throw new LoadException("Neither SCRAM-SHA-1 nor PLAIN offered: " + features);

            features = await OpenStreamAsync(c, o.Domain, ct).ConfigureAwait(false);
            await c.SendAsync($"<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{o.Resource}</resource></bind></iq>", ct).ConfigureAwait(false);
            var bound = await ReadIqAsync(c, "bind", ct).ConfigureAwait(false);
            var jidStart = bound.IndexOf("<jid>", StringComparison.Ordinal);
            var jidEnd = bound.IndexOf("</jid>", StringComparison.Ordinal);
            if (jidStart >= 0 && jidEnd > jidStart) c.Jid = bound[(jidStart + 5)..jidEnd];
            if (features.Contains("urn:ietf:params:xml:ns:xmpp-session", StringComparison.Ordinal) && !features.Contains("<optional", StringComparison.Ordinal))
            {
                await c.SendAsync("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>", ct).ConfigureAwait(false);
                await ReadIqAsync(c, "sess", ct).ConfigureAwait(false);
            }
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads until the iq with this id; throws on type='error'.</summary>
    public static async Task<string> ReadIqAsync(XmppConnection c, string id, CancellationToken ct)
    {
        while (true)
        {
            var e = await c.ReadAsync(ct).ConfigureAwait(false);
            if (e.Kind == ElementKind.StreamEnd) throw new LoadException("Stream closed while waiting for iq " + id);
            var text = e.Text;
            if (text.StartsWith("<stream:error", StringComparison.Ordinal)) throw new LoadException("Stream error: " + text);
            if (!text.StartsWith("<iq", StringComparison.Ordinal)) continue;
            if (!text.Contains($"id='{id}'", StringComparison.Ordinal) && !text.Contains($"id=\"{id}\"", StringComparison.Ordinal)) continue;
            if (text.Contains("type='error'", StringComparison.Ordinal) || text.Contains("type=\"error\"", StringComparison.Ordinal))
                throw new LoadException($"iq {id} failed: {text}");
            return text;
        }
    }

    public static async Task<string> OpenStreamAsync(XmppConnection c, string domain, CancellationToken ct)
    {
        await c.SendAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{domain}' version='1.0'>", ct).ConfigureAwait(false);
        while (true)
        {
            var e = await c.ReadAsync(ct).ConfigureAwait(false);
            if (e.Kind == ElementKind.StreamHeader) continue;
            if (e.Kind == ElementKind.StreamEnd) throw new LoadException("Stream closed during negotiation.");
            var text = e.Text;
            if (text.StartsWith("<stream:features", StringComparison.Ordinal) || text.StartsWith("<features", StringComparison.Ordinal)) return text;
            throw new LoadException("Expected stream features, got: " + text);
        }
    }

    private static async Task ScramAsync(XmppConnection c, string user, string password, CancellationToken ct)
    {
        var scram = new ScramSha1Client(user, password);
        await c.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>{scram.ClientFirst()}</auth>", ct).ConfigureAwait(false);
        var challenge = await ReadSaslAsync(c, ct).ConfigureAwait(false);
        if (!challenge.StartsWith("<challenge", StringComparison.Ordinal)) throw new LoadException($"SCRAM failed for {user}: {challenge}");
        await c.SendAsync($"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{scram.ClientFinal(Content(challenge))}</response>", ct).ConfigureAwait(false);
        var outcome = await ReadSaslAsync(c, ct).ConfigureAwait(false);
        if (!outcome.StartsWith("<success", StringComparison.Ordinal)) throw new LoadException($"SCRAM failed for {user}: {outcome}");
        if (!scram.VerifyServerFinal(Content(outcome))) throw new LoadException("SCRAM server signature mismatch for " + user);
    }

    private static async Task PlainAsync(XmppConnection c, string user, string password, CancellationToken ct)
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
        await c.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{payload}</auth>", ct).ConfigureAwait(false);
        var outcome = await ReadSaslAsync(c, ct).ConfigureAwait(false);
        if (!outcome.StartsWith("<success", StringComparison.Ordinal)) throw new LoadException($"PLAIN failed for {user}: {outcome}");
    }

    private static async Task<string> ReadSaslAsync(XmppConnection c, CancellationToken ct)
    {
        var e = await c.ReadAsync(ct).ConfigureAwait(false);
        if (e.Kind != ElementKind.Stanza) throw new LoadException("Stream ended during SASL.");
        return e.Text;
    }

    /// <summary>Character data of a one-level element such as &lt;challenge&gt;…&lt;/challenge&gt;.</summary>
    private static string Content(string element)
    {
        var open = element.IndexOf('>');
        var close = element.LastIndexOf("</", StringComparison.Ordinal);
        return open < 0 || close <= open ? "" : element[(open + 1)..close];
    }
}
