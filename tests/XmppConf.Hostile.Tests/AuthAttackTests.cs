using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppConf.Core.Xml;
using XmppConf.Hostile.Tests.Kit;
using XmppConf.Testing.Xmpp;

namespace XmppConf.Hostile.Tests;

/// <summary>
/// Attacks on authentication and TLS negotiation (RFC 6120 §5, §6): password guessing on one stream, malformed
/// SASL data, tampered and replayed SCRAM proofs, authzid spoofing, STARTTLS out of order and plaintext
/// pipelined behind &lt;starttls/&gt;.
/// </summary>
[TestClass]
public sealed class AuthAttackTests
{
    private static readonly XNamespace Sasl = Ns.Sasl;
    private static ServerProcess _server = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) =>
        _server = await Suite.StartServerAsync();

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Auth:MaxFailuresPerStream (5): four not-authorized failures, the fifth closes the stream with policy-violation.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task WrongPasswords_FiveOnOneStream_NotAuthorizedThenPolicyViolation()
    {
        await using (var attacker = await OpenSecureAsync(1))
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                var failure = await Assert.ThrowsExceptionAsync<SaslFailedException>(
                    () => attacker.AuthenticateAsync("victim", "guess-" + attempt, "SCRAM-SHA-256"));
                Assert.AreEqual("not-authorized", failure.Condition, $"attempt {attempt}");
            }
            await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        }
        // No per-account lockout: the victim still logs in, and so does everyone else.
        await using var victim = await _server.LoginAsync("victim", Suite.Password, "after-guessing");
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>RFC 6120 §6.4.5 / §6.5.2: data that is not base64 is &lt;incorrect-encoding/&gt;; the stream lives on.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("!!!not-base64***", DisplayName = "not base64 at all")]
    [DataRow("bixuPXZpY3RpbSxyPWFiYw=x", DisplayName = "data after padding")]
    [DataRow("bixuPXZp=Y3Rp", DisplayName = "padding in the middle")]
    [DataRow("bixuPXZpY3RpbS", DisplayName = "truncated quantum")]
    [DataRow("\u00e9t\u00e9abcd", DisplayName = "non-ASCII")]
    public async Task MalformedBase64_InAuth_IncorrectEncodingThenLoginStillWorks(string payload)
    {
        await using var attacker = await OpenSecureAsync(2);
        await attacker.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='SCRAM-SHA-1'>{payload}</auth>");
        var failure = await attacker.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual("failure", failure.Name.LocalName, attacker.DescribeState());
        Assert.AreEqual("incorrect-encoding", TestXmppClient.GetErrorCondition(failure), attacker.DescribeState());
        // The same stream can still authenticate properly: no state was left half-built.
        await attacker.AuthenticateAsync("mallory", Suite.Password, "SCRAM-SHA-1");
        await attacker.BindAsync("after-bad-base64");
        Assert.AreEqual("result", (string?)(await attacker.IqAsync(Suite.ServerPing())).Attribute("type"));
    }

    [TestMethod, Timeout(60_000)]
    public async Task MalformedBase64_InScramResponse_IncorrectEncoding()
    {
        await using var attacker = await OpenSecureAsync(3);
        var scram = new ScramClient(HashAlgorithmName.SHA256, "victim", "guess");
        await attacker.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='SCRAM-SHA-256'>{B64(scram.ClientFirstMessage)}</auth>");
        await attacker.ReceiveAsync(e => e.Name == Sasl + "challenge");
        await attacker.SendRawAsync($"<response xmlns='{Ns.Sasl}'>%%%%</response>");
        var failure = await attacker.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual("incorrect-encoding", TestXmppClient.GetErrorCondition(failure), attacker.DescribeState());
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>
    /// A client that knows the exchange but not the password: each bit of the proof matters (RFC 5802 §3, the
    /// server compares H(ClientProof XOR ClientSignature) with StoredKey), so a flipped bit is not-authorized.
    /// </summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("SCRAM-SHA-1", 0)]
    [DataRow("SCRAM-SHA-1", 159)]
    [DataRow("SCRAM-SHA-256", 0)]
    [DataRow("SCRAM-SHA-256", 255)]
    public async Task ScramProof_OneBitFlipped_NotAuthorized(string mechanism, int bit)
    {
        await using var attacker = await OpenSecureAsync(4);
        var final = await ScramFinalAsync(attacker, mechanism, "victim", Suite.Password);
        var proofAt = final.LastIndexOf(",p=", StringComparison.Ordinal) + 3;
        var proof = Convert.FromBase64String(final[proofAt..]);
        proof[bit / 8] ^= (byte)(1 << (bit % 8));
        var failure = await SendResponseAsync(attacker, final[..proofAt] + Convert.ToBase64String(proof));
        Assert.AreEqual("not-authorized", failure, attacker.DescribeState());
        // The untampered proof for the same password works on a new exchange: the victim's account is intact.
        await attacker.AuthenticateAsync("victim", Suite.Password, mechanism);
    }

    /// <summary>Tampering with what the proof does not cover by itself must not help either (RFC 5802 §5.1).</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("nonce", DisplayName = "server nonce changed")]
    [DataRow("binding", DisplayName = "channel binding claims y,,")]
    [DataRow("short", DisplayName = "proof one byte short")]
    [DataRow("second-proof", DisplayName = "extra p= attribute")]
    public async Task ScramFinal_Tampered_MalformedRequest(string tampering)
    {
        await using var attacker = await OpenSecureAsync(5);
        var final = await ScramFinalAsync(attacker, "SCRAM-SHA-256", "victim", Suite.Password);
        var proofAt = final.LastIndexOf(",p=", StringComparison.Ordinal);
        var tampered = tampering switch
        {
            "nonce" => final.Replace(",r=", ",r=X", StringComparison.Ordinal),
            "binding" => final.Replace("c=biws", "c=eSws", StringComparison.Ordinal),
            "short" => final[..proofAt] + ",p=" + Convert.ToBase64String(Convert.FromBase64String(final[(proofAt + 3)..])[..31]),
            _ => final[..proofAt] + ",p=AAAA" + final[proofAt..],
        };
        Assert.AreEqual("malformed-request", await SendResponseAsync(attacker, tampered), attacker.DescribeState());
    }

    /// <summary>A captured client-final-message replayed on a new stream: the server nonce differs, so it fails.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task ScramFinal_ReplayedOnNewStream_Refused()
    {
        string captured;
        await using (var victim = await OpenSecureAsync(6))
        {
            captured = await ScramFinalAsync(victim, "SCRAM-SHA-1", "victim", Suite.Password);
            await victim.SendRawAsync($"<response xmlns='{Ns.Sasl}'>{B64(captured)}</response>");
            Assert.AreEqual("success", (await victim.ReceiveAsync(e => e.Name.Namespace == Sasl)).Name.LocalName);
        }
        await using var attacker = await OpenSecureAsync(6);
        var scram = new ScramClient(HashAlgorithmName.SHA1, "victim", "unknown");
        await attacker.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='SCRAM-SHA-1'>{B64(scram.ClientFirstMessage)}</auth>");
        await attacker.ReceiveAsync(e => e.Name == Sasl + "challenge");
        Assert.AreEqual("malformed-request", await SendResponseAsync(attacker, captured), attacker.DescribeState());
    }

    /// <summary>RFC 6120 §6.4.6 / §6.3.8: authenticating as oneself while naming someone else as authzid.</summary>
    [DataTestMethod, Timeout(60_000)]
    [DataRow("PLAIN")]
    [DataRow("SCRAM-SHA-1")]
    public async Task Authzid_OtherUser_InvalidAuthzid(string mechanism)
    {
        await using var attacker = await OpenSecureAsync(7);
        if (mechanism == "PLAIN")
        {
            await attacker.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='PLAIN'>{B64("victim@localhost\0mallory\0" + Suite.Password)}</auth>");
        }
        else
        {
            // A correct SCRAM-SHA-1 exchange for mallory's own password whose GS2 header names victim as authzid.
            const string gs2 = "n,a=victim@localhost,";
            var bare = "n=mallory,r=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            await attacker.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='SCRAM-SHA-1'>{B64(gs2 + bare)}</auth>");
            // The server may refuse the authzid at once, or after the proof: either way with invalid-authzid.
            var challenge = await attacker.ReceiveAsync(e => e.Name.Namespace == Sasl);
            if (challenge.Name.LocalName == "challenge")
            {
                var final = ScramSha1Final(gs2, bare, Encoding.UTF8.GetString(Convert.FromBase64String(challenge.Value)), Suite.Password);
                await attacker.SendRawAsync($"<response xmlns='{Ns.Sasl}'>{B64(final)}</response>");
            }
            else
            {
                Assert.AreEqual("invalid-authzid", TestXmppClient.GetErrorCondition(challenge), attacker.DescribeState());
                return;
            }
        }
        var outcome = await attacker.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual("failure", outcome.Name.LocalName, attacker.DescribeState());
        Assert.AreEqual("invalid-authzid", TestXmppClient.GetErrorCondition(outcome), attacker.DescribeState());
    }

    /// <summary>RFC 6120 §5.4.3.1: TLS is negotiated once, before SASL; STARTTLS after authentication is a policy violation.</summary>
    [TestMethod, Timeout(60_000)]
    public async Task StartTls_AfterSaslBeforeBind_PolicyViolation()
    {
        await using var attacker = await OpenSecureAsync(8);
        await attacker.AuthenticateAsync("mallory", Suite.Password);
        await attacker.SendRawAsync($"<starttls xmlns='{Ns.Tls}'/>");
        await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        await Suite.AssertServesAsync(_server);
    }

    [TestMethod, Timeout(60_000)]
    public async Task StartTls_AfterBind_PolicyViolation()
    {
        await using var attacker = await _server.LoginAsync("mallory", Suite.Password, "tls-again", Suite.Attacker(9));
        await attacker.SendRawAsync($"<starttls xmlns='{Ns.Tls}'/>");
        await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>
    /// RFC 6120 §5.4.3.3 (the CVE-2011-0411 class): plaintext sent right behind &lt;starttls/&gt; in the same packet
    /// is refused with policy-violation, and never read as if it had arrived inside TLS.
    /// </summary>
    [TestMethod, Timeout(60_000)]
    public async Task PlaintextPipelinedAfterStartTls_SamePacket_PolicyViolationNeverExecuted()
    {
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 10);
        await attacker.SendRawAsync($"<starttls xmlns='{Ns.Tls}'/><auth xmlns='{Ns.Sasl}' mechanism='PLAIN'>{B64("\0mallory\0" + Suite.Password)}</auth>");
        await Suite.ExpectStreamErrorAsync(attacker, "policy-violation");
        AssertNoSuccess(attacker);
        await Suite.AssertServesAsync(_server);
    }

    /// <summary>
    /// Plaintext that arrives after &lt;proceed/&gt;, where the TLS ClientHello belongs: the server hands those bytes
    /// to the TLS handshake, which fails, and the connection closes; the plaintext is never executed.
    /// </summary>
    [TestMethod, Timeout(60_000)]
    public async Task PlaintextAfterProceed_InsteadOfTlsHandshake_ConnectionClosedNeverExecuted()
    {
        await using var attacker = await Suite.OpenUnauthenticatedAsync(_server, 11);
        await attacker.SendRawAsync($"<starttls xmlns='{Ns.Tls}'/>");
        await attacker.ReceiveAsync(e => e.Name == XName.Get("proceed", Ns.Tls));
        await attacker.SendRawAsync(Suite.StreamHeader + $"<auth xmlns='{Ns.Sasl}' mechanism='PLAIN'>{B64("\0mallory\0" + Suite.Password)}</auth>");
        await attacker.WaitClosedAsync(TimeSpan.FromSeconds(15));
        AssertNoSuccess(attacker);
        await Suite.AssertServesAsync(_server);
    }

    private static void AssertNoSuccess(TestXmppClient client) =>
        Assert.IsFalse(client.Transcript.Any(l => l.StartsWith("S:", StringComparison.Ordinal) && (l.Contains("<success", StringComparison.Ordinal) || l.Contains("<features", StringComparison.Ordinal) && l.Contains("mechanism", StringComparison.Ordinal))),
            "plaintext was executed:\n" + client.DescribeState());

    private static async Task<TestXmppClient> OpenSecureAsync(int attacker)
    {
        var client = await Suite.OpenUnauthenticatedAsync(_server, attacker);
        await client.StartTlsAsync();
        return client;
    }

    /// <summary>Runs a SCRAM exchange up to the client-final-message, which the caller may tamper with.</summary>
    private static async Task<string> ScramFinalAsync(TestXmppClient client, string mechanism, string user, string password)
    {
        var scram = new ScramClient(mechanism == "SCRAM-SHA-1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, user, password);
        await client.SendRawAsync($"<auth xmlns='{Ns.Sasl}' mechanism='{mechanism}'>{B64(scram.ClientFirstMessage)}</auth>");
        var challenge = await client.ReceiveAsync(e => e.Name.Namespace == Sasl);
        Assert.AreEqual("challenge", challenge.Name.LocalName, client.DescribeState());
        return scram.ClientFinalMessage(Encoding.UTF8.GetString(Convert.FromBase64String(challenge.Value)));
    }

    /// <summary>Sends a response and returns the failure condition, or "success".</summary>
    private static async Task<string?> SendResponseAsync(TestXmppClient client, string clientFinal)
    {
        await client.SendRawAsync($"<response xmlns='{Ns.Sasl}'>{B64(clientFinal)}</response>");
        var outcome = await client.ReceiveAsync(e => e.Name.Namespace == Sasl);
        return outcome.Name.LocalName == "failure" ? TestXmppClient.GetErrorCondition(outcome) : outcome.Name.LocalName;
    }

    /// <summary>RFC 5802 §3 client-final-message, computed here because the kit's client has no authzid.</summary>
    private static string ScramSha1Final(string gs2Header, string clientFirstBare, string serverFirst, string password)
    {
        var fields = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(fields['s']),
            int.Parse(fields['i'], System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA1, 20);
        var clientKey = HMACSHA1.HashData(salted, "Client Key"u8);
        var storedKey = SHA1.HashData(clientKey);
        var withoutProof = $"c={B64(gs2Header)},r={fields['r']}";
        var signature = HMACSHA1.HashData(storedKey, Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}"));
        for (var i = 0; i < clientKey.Length; i++) clientKey[i] ^= signature[i];
        return withoutProof + ",p=" + Convert.ToBase64String(clientKey);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
