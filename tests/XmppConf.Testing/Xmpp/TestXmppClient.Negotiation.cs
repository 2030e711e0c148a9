using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Testing.Xmpp;

// Stream negotiation (RFC 6120 §4–§7): stream header, STARTTLS, SASL, resource binding.
public sealed partial class TestXmppClient
{
    private static readonly XName FeaturesName = XName.Get("features", Ns.Streams);
    private static readonly XName StartTlsName = XName.Get("starttls", Ns.Tls);
    private static readonly XName MechanismsName = XName.Get("mechanisms", Ns.Sasl);
    private static readonly XName MechanismName = XName.Get("mechanism", Ns.Sasl);
    private static readonly XName BindName = XName.Get("bind", Ns.Bind);
    private static readonly XName SessionName = XName.Get("session", Ns.Session);

    // Strongest first; LoginAsync picks the first one the server offers.
    private static readonly string[] PreferredMechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    /// <summary>
    /// Connects, opens the stream, upgrades with STARTTLS when offered, authenticates (the strongest
    /// offered mechanism unless <paramref name="mechanism"/> is given) and binds a resource.
    /// </summary>
    public static async Task<TestXmppClient> LoginAsync(
        string host,
        int port,
        string domain,
        string user,
        string password,
        string? resource = null,
        string? mechanism = null,
        bool directTls = false,
        CancellationToken ct = default,
        System.Net.IPAddress? localAddress = null)
    {
        TestXmppClient client = await ConnectAsync(host, port, domain, directTls, ct, localAddress).ConfigureAwait(false);
        try
        {
            XElement features = await client.OpenStreamAsync(ct).ConfigureAwait(false);
            if (!client.IsEncrypted && features.Element(StartTlsName) is not null)
            {
                features = await client.StartTlsAsync(ct).ConfigureAwait(false);
            }

            await client.AuthenticateAsync(user, password, mechanism ?? client.ChooseMechanism(features), ct).ConfigureAwait(false);
            await client.BindAsync(resource, ct).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The SASL mechanisms listed in <paramref name="features"/> (RFC 6120 §6.4.1), in the server's order.</summary>
    public static IReadOnlyList<string> GetMechanisms(XElement features)
    {
        var names = new List<string>();
        foreach (XElement mechanism in features.Element(MechanismsName)?.Elements(MechanismName) ?? [])
        {
            names.Add(mechanism.Value.Trim());
        }

        return names;
    }

    /// <summary>Sends an initial (or restarted) stream header and returns the server's <c>&lt;stream:features/&gt;</c>.</summary>
    /// <param name="prolog">Markup sent between the XML declaration and the header, for hostile tests (e.g. a DTD).</param>
    /// <exception cref="StreamErrorException">The server answered with a stream error.</exception>
    public async Task<XElement> OpenStreamAsync(CancellationToken ct = default, string? prolog = null)
    {
        // RFC 6120 §4.7: to is the service domain; version 1.0 asks for stream features.
        _framer.ExpectNewHeader();
        await SendRawAsync(
            $"<?xml version='1.0'?>{prolog}<stream:stream xmlns='{Ns.Client}' xmlns:stream='{Ns.Streams}' to='{SecurityElement.Escape(Domain)}' version='1.0' xml:lang='en'>",
            ct).ConfigureAwait(false);
        Features = await ExpectAsync(static e => e.Name == FeaturesName, ct).ConfigureAwait(false);
        return Features;
    }

    /// <summary>
    /// RFC 6120 §5.4: sends &lt;starttls/&gt;, expects &lt;proceed/&gt;, does the TLS 1.2+ handshake
    /// (any certificate accepted) and opens a new stream; returns the new features.
    /// </summary>
    public async Task<XElement> StartTlsAsync(CancellationToken ct = default)
    {
        _pauseAfterProceed = true;
        try
        {
            await SendRawAsync($"<starttls xmlns='{Ns.Tls}'/>", ct).ConfigureAwait(false);
            XElement answer = await ExpectAsync(static e => e.Name.NamespaceName == Ns.Tls, ct).ConfigureAwait(false);
            if (answer.Name.LocalName != "proceed")
            {
                throw new XmppTestException($"STARTTLS was answered with {Show(answer)}.\n{DescribeState()}");
            }

            // The read loop stops by itself after <proceed/>; wait for it so no read races the handshake.
            await _readLoop.WaitAsync(DefaultTimeout, ct).ConfigureAwait(false);
        }
        finally
        {
            _pauseAfterProceed = false;
        }

        if (_framer.PendingBytes > 0)
        {
            // RFC 6120 §5.4.3.3: nothing may follow <proceed/> in the clear.
            throw new XmppTestException($"The server sent {_framer.PendingBytes} bytes after <proceed/>.\n{DescribeState()}");
        }

        await UpgradeToTlsAsync(directTls: false, ct).ConfigureAwait(false);
        _framer.Reset();
        StartReadLoop();
        return await OpenStreamAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// SASL (RFC 6120 §6) with SCRAM-SHA-1, SCRAM-SHA-256 (verifying the server signature) or PLAIN,
    /// then the stream restart; returns the new features.
    /// </summary>
    /// <exception cref="SaslFailedException">The server sent &lt;failure/&gt;.</exception>
    /// <exception cref="XmppTestException">The server broke the SASL exchange (bad nonce, bad signature …).</exception>
    public async Task<XElement> AuthenticateAsync(string user, string password, string mechanism = "SCRAM-SHA-256", CancellationToken ct = default)
    {
        switch (mechanism)
        {
            case "PLAIN":
                await AuthenticatePlainAsync(user, password, ct).ConfigureAwait(false);
                break;
            case "SCRAM-SHA-1":
                await AuthenticateScramAsync(new ScramClient(HashAlgorithmName.SHA1, user, password), mechanism, ct).ConfigureAwait(false);
                break;
            case "SCRAM-SHA-256":
                await AuthenticateScramAsync(new ScramClient(HashAlgorithmName.SHA256, user, password), mechanism, ct).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"The test client does not implement {mechanism}; send it raw instead.", nameof(mechanism));
        }

        // RFC 6120 §6.4.6: after <success/> both sides restart the stream over the same transport.
        return await OpenStreamAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 6120 §7: binds <paramref name="resource"/> (or lets the server choose) and returns the full JID.
    /// Also does the RFC 3921 session request when the server advertises it as not optional.
    /// </summary>
    public async Task<string> BindAsync(string? resource = null, CancellationToken ct = default)
    {
        var bind = new XElement(BindName);
        if (resource is not null)
        {
            bind.Add(new XElement(XName.Get("resource", Ns.Bind), resource));
        }

        XElement reply = await IqAsync(new XElement(Iq, new XAttribute("type", "set"), bind)).ConfigureAwait(false);
        string jid = (string?)reply.Attribute("type") == "result"
            ? reply.Element(BindName)?.Element(XName.Get("jid", Ns.Bind))?.Value
                ?? throw new XmppTestException($"Bind result without <jid/>: {Show(reply)}.\n{DescribeState()}")
            : throw new XmppTestException($"Bind failed ({GetErrorCondition(reply)}): {Show(reply)}.\n{DescribeState()}");

        // RFC 6121 Appendix E: the session request survives only for servers that still require it.
        if (Features?.Element(SessionName) is { } session && session.Element(XName.Get("optional", Ns.Session)) is null)
        {
            XElement sessionReply = await IqAsync(new XElement(Iq, new XAttribute("type", "set"), new XElement(SessionName))).ConfigureAwait(false);
            if ((string?)sessionReply.Attribute("type") != "result")
            {
                throw new XmppTestException($"Session establishment failed: {Show(sessionReply)}.\n{DescribeState()}");
            }
        }

        Jid = jid;
        return jid;
    }

    private string ChooseMechanism(XElement features)
    {
        IReadOnlyList<string> offered = GetMechanisms(features);
        foreach (string preferred in PreferredMechanisms)
        {
            if (offered.Contains(preferred))
            {
                return preferred;
            }
        }

        throw new XmppTestException($"No supported SASL mechanism offered ({string.Join(", ", offered)}).\n{DescribeState()}");
    }

    private async Task AuthenticatePlainAsync(string user, string password, CancellationToken ct)
    {
        // RFC 4616: [authzid] NUL authcid NUL passwd; no authzid.
        byte[] message = Encoding.UTF8.GetBytes($"\0{user}\0{password}");
        await SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='PLAIN'>{Convert.ToBase64String(message)}</auth>", ct).ConfigureAwait(false);
        XElement reply = await ExpectSaslAsync(ct).ConfigureAwait(false);
        if (reply.Name.LocalName != "success")
        {
            throw new XmppTestException($"PLAIN expected <success/>, got {Show(reply)}.\n{DescribeState()}");
        }
    }

    private async Task AuthenticateScramAsync(ScramClient scram, string mechanism, CancellationToken ct)
    {
        // RFC 6120 §6.4.2: the client-first-message travels as the initial response.
        await SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='{mechanism}'>{ToBase64(scram.ClientFirstMessage)}</auth>", ct).ConfigureAwait(false);
        XElement challenge = await ExpectSaslAsync(ct).ConfigureAwait(false);
        if (challenge.Name.LocalName != "challenge")
        {
            throw new XmppTestException($"{mechanism} expected a <challenge/>, got {Show(challenge)}.\n{DescribeState()}");
        }

        string clientFinal = scram.ClientFinalMessage(FromBase64(challenge));
        await SendRawAsync($"<response xmlns='{Ns.Sasl}'>{ToBase64(clientFinal)}</response>", ct).ConfigureAwait(false);
        XElement outcome = await ExpectSaslAsync(ct).ConfigureAwait(false);
        if (outcome.Name.LocalName == "challenge")
        {
            // RFC 6120 §6.3.10 allows server-final-message as a last challenge answered by an empty response.
            scram.VerifyServerFinal(FromBase64(outcome));
            await SendRawAsync($"<response xmlns='{Ns.Sasl}'/>", ct).ConfigureAwait(false);
            outcome = await ExpectSaslAsync(ct).ConfigureAwait(false);
            if (outcome.Name.LocalName != "success")
            {
                throw new XmppTestException($"{mechanism} expected <success/>, got {Show(outcome)}.\n{DescribeState()}");
            }
        }
        else
        {
            // RFC 6120 §6.4.6: server-final-message as additional data with success.
            scram.VerifyServerFinal(FromBase64(outcome));
        }
    }

    private async Task<XElement> ExpectSaslAsync(CancellationToken ct)
    {
        XElement reply = await ExpectAsync(static e => e.Name.NamespaceName == Ns.Sasl && e.Name.LocalName is "challenge" or "success" or "failure", ct)
            .ConfigureAwait(false);
        if (reply.Name.LocalName == "failure")
        {
            throw new SaslFailedException(GetErrorCondition(reply) ?? "(none)", reply.Element(XName.Get("text", Ns.Sasl))?.Value);
        }

        return reply;
    }

    // Waits for a matching element; a stream error instead ends the wait at once.
    private async Task<XElement> ExpectAsync(Func<XElement, bool> match, CancellationToken ct)
    {
        XElement element = await ReceiveAsync(e => e.Name == StreamError || match(e), null, ct).ConfigureAwait(false);
        return element.Name == StreamError ? throw new StreamErrorException(element, DescribeState()) : element;
    }

    private static string ToBase64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private string FromBase64(XElement element)
    {
        // RFC 6120 §6.4.2: "=" stands for empty data.
        string text = element.Value.Trim();
        try
        {
            return text is "" or "=" ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException ex)
        {
            throw new XmppTestException($"SASL data is not base64: {Show(element)}.\n{DescribeState()}", ex);
        }
    }

    private async Task UpgradeToTlsAsync(bool directTls, CancellationToken ct)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = Domain,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                // Tests run against self-signed certificates: record the verdict, accept anyway.
                RemoteCertificateErrors = errors;
                return true;
            },

            // XEP-0368 §3: direct TLS announces the protocol with ALPN.
            ApplicationProtocols = directTls ? [new SslApplicationProtocol("xmpp-client")] : null,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        deadline.CancelAfter(DefaultTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log($"C: [TLS handshake failed: {ex.Message}]");
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = ssl;
        TlsProtocol = ssl.SslProtocol;
        if (ssl.RemoteCertificate is { } certificate)
        {
            RemoteCertificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }

        Log($"C: [TLS up: {ssl.SslProtocol}, certificate {RemoteCertificate?.Subject}, {RemoteCertificateErrors}]");
    }
}
