using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.Sasl;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Server.Connections;
using XmppConf.Server.Logging;
using XmppConf.Server.Negotiation;

namespace XmppConf.Server.Sessions;

/// <summary>Stream negotiation (RFC 6120 §4–§7): header, STARTTLS, SASL, resource binding, timeouts.</summary>
internal sealed partial class ClientSession
{
    private static readonly XNamespace SaslNs = Ns.Sasl;
    private SaslNegotiation? _sasl;
    private string _saslMechanism = "";
    private int _saslFailures;
    private bool _streamOpen;

    private async Task OnStreamHeaderAsync(XElement header)
    {
        var domain = _services.Server.Domain;
        var id = StreamHeader.NewId();
        // Our header goes out before any error so the client can parse the error (RFC 6120 §4.9.1.1).
        await WriteDirectOrQueuedAsync(StreamHeader.Open(domain, id, _state == StreamState.Connected ? null : User?.ToString())).ConfigureAwait(false);
        _headerSent = true;
        StreamHeader.Validate(header, domain);
        _streamOpen = true;
        var limits = _services.Limits;
        var mechanisms = OfferedMechanisms();
        XElement features = _state switch
        {
            StreamState.Authenticated => StreamFeatures.AfterAuthentication(limits.MaxStanzaBytes, limits.IdleTimeoutSeconds),
            _ when !_transport.IsSecure => StreamFeatures.BeforeTls(_services.Tls.RequireStartTls, mechanisms, limits.MaxStanzaBytesUnauthenticated),
            _ => StreamFeatures.Sasl(mechanisms, limits.MaxStanzaBytesUnauthenticated),
        };
        await WriteDirectAsync(features).ConfigureAwait(false);
    }

    private Task WriteDirectOrQueuedAsync(byte[] bytes) => WriteDirectAsync(bytes);

    private List<string> OfferedMechanisms()
    {
        var offered = new List<string>(_services.Auth.Mechanisms.Count);
        foreach (var mechanism in _services.Auth.Mechanisms)
        {
            // PLAIN sends the password itself: only inside TLS unless the operator allows otherwise.
            if (mechanism == "PLAIN" && !_transport.IsSecure && !_services.Tls.AllowPlainWithoutTls) continue;
            offered.Add(mechanism);
        }
        return offered;
    }

    private async Task NegotiateAsync(XElement element)
    {
        if (!_streamOpen) throw new XmppStreamException(StreamErrorCondition.NotWellFormed, "Stream header expected.");
        var ns = element.Name.NamespaceName;
        var name = element.Name.LocalName;
        if (_state == StreamState.Connected && !_transport.IsSecure && ns == Ns.Tls && name == "starttls")
        {
            await OnStartTlsAsync().ConfigureAwait(false);
            return;
        }
        if (ns == Ns.Tls)
        {
            // RFC 6120 §5.4.3.1: STARTTLS after TLS or after authentication is a protocol violation.
            throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "STARTTLS is not available at this point.");
        }
        if (_state == StreamState.Connected && ns == Ns.Sasl)
        {
            await OnSaslAsync(element).ConfigureAwait(false);
            return;
        }
        if (_state == StreamState.Authenticated && ns == Ns.Client && name == "iq")
        {
            await OnPreBindIqAsync(element).ConfigureAwait(false);
            return;
        }
        // RFC 6120 §7.1 / §6.4.1: stanzas before authentication and binding are not processed.
        throw new XmppStreamException(StreamErrorCondition.NotAuthorized, "Authenticate and bind a resource first.");
    }

    private async Task OnStartTlsAsync()
    {
        await WriteDirectAsync(new XElement(XName.Get("proceed", Ns.Tls))).ConfigureAwait(false);
        _state = StreamState.TlsRequested;
    }

    /// <summary>Runs after the read loop has released the plaintext buffer.</summary>
    private async Task CompleteStartTlsAsync()
    {
        await _transport.UpgradeToTlsAsync(_services.Certificates.Certificate,
            TimeSpan.FromSeconds(_services.Tls.HandshakeTimeoutSeconds), _closing.Token).ConfigureAwait(false);
        ServerLog.TlsEstablished(_log);
        _state = StreamState.Connected;
        _streamOpen = false;
        // A new stream over TLS: an error before our next header must be preceded by one (RFC 6120 §4.9.1.1).
        _headerSent = false;
        _framer.Reset();
    }

    private async Task OnSaslAsync(XElement element)
    {
        if (!_transport.IsSecure && _services.Tls.RequireStartTls)
        {
            await SaslFailAsync(SaslFailure.EncryptionRequired).ConfigureAwait(false);
            return;
        }
        if (element.Name.LocalName is "auth" or "response" && _services.Peers.IsBanned(_transport.Peer))
        {
            // Auth:FailedAuthBanThreshold: this address is banned, so no credential is even checked; the
            // stream ends, as a new one from this address would be refused at connect.
            var text = ConnectionGate.RefusalText(Admission.Banned);
            await SaslFailAsync(SaslFailure.NotAuthorized, text, countsTowardsBan: false).ConfigureAwait(false);
            throw new XmppStreamException(StreamErrorCondition.PolicyViolation, text);
        }
        SaslStep step;
        switch (element.Name.LocalName)
        {
            case "auth":
                var mechanism = element.Attribute("mechanism")?.Value ?? "";
                if (!OfferedMechanisms().Contains(mechanism))
                {
                    await SaslFailAsync(SaslFailure.InvalidMechanism).ConfigureAwait(false);
                    return;
                }
                if (!TryDecode(element.Value, out var initial))
                {
                    await SaslFailAsync(SaslFailure.IncorrectEncoding).ConfigureAwait(false);
                    return;
                }
                _sasl = new SaslNegotiation(_services.Accounts, _services.Server.Domain, _services.Secret.Key, _services.Auth.ScramIterations);
                _saslMechanism = mechanism;
                step = await _sasl.StartAsync(mechanism, initial, _closing.Token).ConfigureAwait(false);
                break;
            case "response" when _sasl is not null:
                if (!TryDecode(element.Value, out var response))
                {
                    await SaslFailAsync(SaslFailure.IncorrectEncoding).ConfigureAwait(false);
                    return;
                }
                step = await _sasl.RespondAsync(response ?? [], _closing.Token).ConfigureAwait(false);
                break;
            case "abort":
                await SaslFailAsync(SaslFailure.Aborted).ConfigureAwait(false);
                return;
            default:
                await SaslFailAsync(SaslFailure.MalformedRequest).ConfigureAwait(false);
                return;
        }
        switch (step.Kind)
        {
            case SaslStepKind.Challenge:
                await WriteDirectAsync(new XElement(SaslNs + "challenge", Encode(step.Data))).ConfigureAwait(false);
                break;
            case SaslStepKind.Failure:
                await SaslFailAsync(step.Failure).ConfigureAwait(false);
                break;
            case SaslStepKind.Success:
                _sasl = null;
                User = step.User!.Bare;
                ServerLog.Authenticated(_log, User.ToString(), _saslMechanism);
                await WriteDirectAsync(new XElement(SaslNs + "success", Encode(step.Data))).ConfigureAwait(false);
                // RFC 6120 §6.4.6: the stream restarts; limits for authenticated streams apply from here.
                _state = StreamState.Authenticated;
                _streamOpen = false;
                _headerSent = false;
                _framer.Reset();
                var limits = _services.Limits;
                _framer.Limits = new FramerLimits(limits.MaxStanzaBytes, limits.MaxStanzaDepth, limits.MaxStanzaElements);
                break;
        }
    }

    private async Task SaslFailAsync(SaslFailure failure, string? text = null, bool countsTowardsBan = true)
    {
        _sasl = null;
        _saslFailures++;
        ServerLog.AuthenticationFailed(_log, failure.ToXmlName(), _saslFailures);
        // Wrong credentials from this address count towards the per-IP ban (Auth:FailedAuthBanThreshold), never
        // against the account. Protocol mistakes (abort, unknown mechanism, bad base64) guess nothing, so they only
        // count per stream: one misconfigured client behind a NAT must not ban the whole office (as mod_fail2ban).
        if (countsTowardsBan && failure == SaslFailure.NotAuthorized) _services.Peers.RecordAuthFailure(_transport.Peer);
        var answer = new XElement(SaslNs + "failure", new XElement(SaslNs + failure.ToXmlName()));
        if (text is not null) answer.Add(new XElement(SaslNs + "text", new XAttribute(XNamespace.Xml + "lang", "en"), text));
        await WriteDirectAsync(answer).ConfigureAwait(false);
        if (_saslFailures >= _services.Auth.MaxFailuresPerStream)
        {
            throw new XmppStreamException(StreamErrorCondition.PolicyViolation, "Too many failed authentication attempts.");
        }
    }

    /// <summary>RFC 6120 §6.4.2: "=" is an empty response, no text is an absent one.</summary>
    private static bool TryDecode(string text, out byte[]? bytes)
    {
        bytes = null;
        text = text.Trim();
        if (text.Length == 0) return true;
        if (text == "=")
        {
            bytes = [];
            return true;
        }
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Encode(byte[]? data) => data is null ? "" : data.Length == 0 ? "=" : Convert.ToBase64String(data);

    private async Task OnPreBindIqAsync(XElement iq)
    {
        var type = iq.Attribute("type")?.Value;
        var bind = iq.Element(XName.Get("bind", Ns.Bind));
        if (type == "set" && bind is not null)
        {
            await OnBindAsync(iq, bind).ConfigureAwait(false);
            return;
        }
        throw new XmppStreamException(StreamErrorCondition.NotAuthorized, "Bind a resource first.");
    }

    /// <summary>RFC 6120 §7: resource binding with a server-chosen resource when the client names none.</summary>
    private async Task OnBindAsync(XElement iq, XElement bind)
    {
        var requested = bind.Element(XName.Get("resource", Ns.Bind))?.Value;
        Jid full;
        try
        {
            full = User!.WithResource(string.IsNullOrEmpty(requested) ? LocalSessionTable.NewResource() : requested);
        }
        catch (FormatException)
        {
            await WriteDirectAsync(StanzaError.BadRequest("Invalid resource.").ReplyTo(iq)).ConfigureAwait(false);
            return;
        }
        var outcome = await _services.Sessions.BindAsync(this, full, _closing.Token).ConfigureAwait(false);
        if (outcome.Error is { } error)
        {
            await WriteDirectAsync(error.ReplyTo(iq)).ConfigureAwait(false);
            return;
        }
        FullJid = outcome.Bound!;
        // From here others can reach us: all writes go through the outbox, in order.
        _state = StreamState.Bound;
        StartWriter();
        ArmTimer(_services.Limits.IdleTimeoutSeconds);
        ServerLog.Bound(_log, FullJid.ToString());
        var result = new XElement(XName.Get("iq", Ns.Client), new XAttribute("type", "result"),
            new XElement(XName.Get("bind", Ns.Bind), new XElement(XName.Get("jid", Ns.Bind), FullJid.ToString())));
        if (iq.Attribute("id") is { } id) result.SetAttributeValue("id", id.Value);
        Deliver(result);
    }

    private void ArmTimer(int seconds) => _idleTimer.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);

    private void ArmTimerMs(long milliseconds) => _idleTimer.Change(TimeSpan.FromMilliseconds(Math.Max(milliseconds, 10)), Timeout.InfiniteTimeSpan);

    private void OnTimer()
    {
        _timerFired = true;
        try { _transport.Input.CancelPendingRead(); }
        catch (InvalidOperationException) { /* reader already completed */ }
    }

    /// <summary>
    /// Unauthenticated streams get a fixed deadline from connect; bound sessions are pinged after
    /// IdleTimeoutSeconds of silence (XEP-0199) and closed if still silent after PingTimeoutSeconds.
    /// </summary>
    private async Task OnTimeoutCheckAsync()
    {
        if (!_timerFired) return;
        _timerFired = false;
        var now = Environment.TickCount64;
        var limits = _services.Limits;
        if (_state != StreamState.Bound)
        {
            var left = limits.UnauthenticatedTimeoutSeconds * 1000L - (now - _connectedAt);
            if (left <= 0) throw new XmppStreamException(StreamErrorCondition.ConnectionTimeout, "Authentication took too long.");
            ArmTimerMs(left);
            return;
        }
        var silentFor = now - Volatile.Read(ref _lastReadAt);
        if (_pingSentAt != 0)
        {
            var pingLeft = limits.PingTimeoutSeconds * 1000L - (now - _pingSentAt);
            if (pingLeft <= 0 && silentFor >= limits.PingTimeoutSeconds * 1000L)
            {
                throw new XmppStreamException(StreamErrorCondition.ConnectionTimeout, "No answer to ping.");
            }
            ArmTimerMs(pingLeft > 0 ? pingLeft : limits.PingTimeoutSeconds * 1000L);
            return;
        }
        var idleLeft = limits.IdleTimeoutSeconds * 1000L - silentFor;
        if (idleLeft > 0)
        {
            ArmTimerMs(idleLeft);
            return;
        }
        _pingSentAt = now;
        Deliver(new XElement(XName.Get("iq", Ns.Client),
            new XAttribute("type", "get"), new XAttribute("id", "idle-ping-" + now),
            new XAttribute("from", _services.Server.Domain), new XAttribute("to", FullJid!.ToString()),
            new XElement(XName.Get("ping", Ns.Ping))));
        await Task.CompletedTask.ConfigureAwait(false);
        ArmTimer(limits.PingTimeoutSeconds);
    }
}
