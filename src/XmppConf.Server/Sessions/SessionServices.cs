using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Core.Xml;
using XmppConf.Server.Accounts;
using XmppConf.Server.Connections;
using XmppConf.Server.Options;
using XmppConf.Server.Routing;
using XmppConf.Server.Tls;

namespace XmppConf.Server.Sessions;

/// <summary>What every client session needs, resolved once instead of per connection.</summary>
internal sealed class SessionServices(
    IOptions<ServerOptions> server,
    IOptions<TlsOptions> tls,
    IOptions<AuthOptions> auth,
    IOptions<LimitsOptions> limits,
    AccountService accounts,
    ServerSecret secret,
    ServerCertificateProvider certificates,
    LocalSessionTable sessions,
    StanzaRouter router,
    PeerTable peers,
    XmlNameBudget names,
    ILoggerFactory loggers)
{
    public ServerOptions Server { get; } = server.Value;
    public TlsOptions Tls { get; } = tls.Value;
    public AuthOptions Auth { get; } = auth.Value;
    public LimitsOptions Limits { get; } = limits.Value;
    public AccountService Accounts { get; } = accounts;
    public ServerSecret Secret { get; } = secret;
    public ServerCertificateProvider Certificates { get; } = certificates;
    public LocalSessionTable Sessions { get; } = sessions;
    public StanzaRouter Router { get; } = router;
    public PeerTable Peers { get; } = peers;
    public XmlNameBudget Names { get; } = names;
    public ILogger Logger { get; } = loggers.CreateLogger("XmppConf.Session");
}
