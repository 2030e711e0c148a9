using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace XmppConf.Core.Sasl;

/// <summary>
/// The server side of one SCRAM-SHA-1 / SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), without
/// channel binding: ReadClientFirst → WriteServerFirst → ReadClientFinal. Not thread-safe; one
/// instance per attempt. Calling a step out of order is a programming error and throws.
/// </summary>
public sealed class ScramServerExchange
{
    /// <summary>Default secret for unknown-user salts: stable for the process lifetime only.</summary>
    private static readonly byte[] ProcessDecoySecret = RandomNumberGenerator.GetBytes(32);

    private readonly ScramHash _hash;
    private readonly Func<string>? _nonceFactory;
    private readonly byte[] _decoySecret;
    private readonly int _decoyIterations;

    private Step _step;
    private byte[]? _gs2Header;
    private byte[]? _clientFirstBare;
    private string? _clientNonce;
    private byte[]? _combinedNonce;
    private byte[]? _serverFirst;
    private byte[]? _storedKey;
    private byte[]? _serverKey;
    private bool _unknownUser;

    /// <param name="hash">SHA-1 or SHA-256.</param>
    /// <param name="nonceFactory">Produces the server nonce part; for test vectors. Default: 18 random bytes in base64.</param>
    /// <param name="unknownUserSecret">
    /// Keys the fake salt shown for unknown users. Give a persisted secret so the fake salt also
    /// survives restarts; by default a per-process random one.
    /// </param>
    /// <param name="unknownUserIterations">Iteration count shown for unknown users; match what real accounts use.</param>
    public ScramServerExchange(ScramHash hash, Func<string>? nonceFactory = null, byte[]? unknownUserSecret = null, int unknownUserIterations = 4096)
    {
        MechanismName = ScramPrimitives.MechanismName(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(unknownUserIterations, 1);
        _hash = hash;
        _nonceFactory = nonceFactory;
        _decoySecret = unknownUserSecret ?? ProcessDecoySecret;
        _decoyIterations = unknownUserIterations;
    }

    private enum Step { AwaitClientFirst, AwaitServerFirst, AwaitClientFinal, Succeeded, Failed }

    /// <summary>"SCRAM-SHA-1" or "SCRAM-SHA-256".</summary>
    public string MechanismName { get; }

    /// <summary>The authentication identity from "n=", decoded and SASLprep'd.</summary>
    public string? Username { get; private set; }

    /// <summary>The requested authorization identity from the GS2 header's "a=", or null.</summary>
    public string? Authzid { get; private set; }

    /// <summary>The server-final-message ("v=…") once ReadClientFinal has succeeded.</summary>
    public byte[]? ServerFinal { get; private set; }

    /// <summary>Step 1: parses the client-first-message. Null on success.</summary>
    public SaslFailure? ReadClientFirst(ReadOnlySpan<byte> message)
    {
        Expect(Step.AwaitClientFirst);
        _step = Step.Failed;
        if (!Utf8.IsValid(message) || message.Length < 3) return SaslFailure.MalformedRequest;

        // RFC 5802 §7 gs2-header = gs2-cbind-flag "," [authzid] ",". We advertise no -PLUS
        // mechanism, so a client asking for channel binding ("p=") is in error (§6).
        if (message[0] is not ((byte)'n' or (byte)'y') || message[1] != (byte)',') return SaslFailure.MalformedRequest;
        var afterFlag = message[2..];
        var comma = afterFlag.IndexOf((byte)',');
        if (comma < 0) return SaslFailure.MalformedRequest;
        string? authzid = null;
        if (comma > 0)
        {
            var field = afterFlag[..comma];
            if (!field.StartsWith("a="u8) || !ScramSyntax.TryDecodeSaslName(field[2..], out authzid)) return SaslFailure.MalformedRequest;
        }
        var gs2Length = 2 + comma + 1;
        var bare = message[gs2Length..];

        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions].
        // "m=" is reserved for a mandatory extension we cannot know (§5.1): fail.
        var rest = bare;
        if (!ScramSyntax.TryReadAttribute(ref rest, out var name, out var value) || name != (byte)'n') return SaslFailure.MalformedRequest;
        if (!ScramSyntax.TryDecodeSaslName(value, out var username) || !SaslPrep.TryPrepare(username, out var prepared)) return SaslFailure.MalformedRequest;
        if (!ScramSyntax.TryReadAttribute(ref rest, out name, out value) || name != (byte)'r' || !ScramSyntax.IsPrintable(value)) return SaslFailure.MalformedRequest;
        var nonce = value;
        while (!rest.IsEmpty)
        {
            // Optional extensions are ignored, but must at least be well formed.
            if (!ScramSyntax.TryReadAttribute(ref rest, out _, out _)) return SaslFailure.MalformedRequest;
        }

        _gs2Header = message[..gs2Length].ToArray();
        _clientFirstBare = bare.ToArray();
        _clientNonce = Encoding.ASCII.GetString(nonce);
        Username = prepared;
        Authzid = authzid;
        _step = Step.AwaitServerFirst;
        return null;
    }

    /// <summary>
    /// Step 2: the server-first-message. With null credentials (unknown user) the message carries
    /// a salt derived from the user name and a secret, so it looks like a real account's and stays
    /// the same across attempts; the exchange then fails at step 3 like a wrong password.
    /// </summary>
    /// <exception cref="ArgumentException">The credentials are for another hash or inconsistent.</exception>
    public byte[] WriteServerFirst(ScramCredentials? credentials)
    {
        Expect(Step.AwaitServerFirst);

        byte[] salt;
        int iterations;
        if (credentials is null)
        {
            salt = DecoySalt();
            iterations = _decoyIterations;
            var size = ScramPrimitives.HashSize(_hash);
            _storedKey = RandomNumberGenerator.GetBytes(size);
            _serverKey = RandomNumberGenerator.GetBytes(size);
            _unknownUser = true;
        }
        else
        {
            Validate(credentials);
            salt = credentials.Salt;
            iterations = credentials.Iterations;
            _storedKey = (byte[])credentials.StoredKey.Clone();
            _serverKey = (byte[])credentials.ServerKey.Clone();
        }

        var serverNonce = _nonceFactory is null ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) : _nonceFactory();
        if (!ScramSyntax.IsPrintable(serverNonce))
        {
            throw new InvalidOperationException("The nonce factory must return printable ASCII without ','.");
        }

        var combined = _clientNonce + serverNonce;
        _combinedNonce = Encoding.ASCII.GetBytes(combined);
        var text = string.Create(CultureInfo.InvariantCulture, $"r={combined},s={Convert.ToBase64String(salt)},i={iterations}");
        _serverFirst = Encoding.ASCII.GetBytes(text);
        _step = Step.AwaitClientFinal;
        return (byte[])_serverFirst.Clone();
    }

    /// <summary>Step 3: verifies the client-final-message. Null on success, then ServerFinal is set.</summary>
    public SaslFailure? ReadClientFinal(ReadOnlySpan<byte> message)
    {
        Expect(Step.AwaitClientFinal);
        _step = Step.Failed;
        if (!Utf8.IsValid(message)) return SaslFailure.MalformedRequest;

        // client-final-message = channel-binding "," nonce ["," extensions] "," proof; the proof
        // is last and base64 has no comma, so the last comma splits it off.
        var lastComma = message.LastIndexOf((byte)',');
        if (lastComma < 0) return SaslFailure.MalformedRequest;
        var withoutProof = message[..lastComma];
        var proofField = message[(lastComma + 1)..];
        if (!proofField.StartsWith("p="u8) || !ScramSyntax.TryDecodeBase64(proofField[2..], out var proof)) return SaslFailure.MalformedRequest;
        if (proof.Length != ScramPrimitives.HashSize(_hash)) return SaslFailure.MalformedRequest;

        // c= must repeat the GS2 header verbatim ("biws" for "n,,", "eSws" for "y,,"); binding
        // data after a "p=" flag cannot occur since we rejected that flag in step 1.
        var rest = withoutProof;
        if (!ScramSyntax.TryReadAttribute(ref rest, out var name, out var value) || name != (byte)'c') return SaslFailure.MalformedRequest;
        if (!ScramSyntax.TryDecodeBase64(value, out var binding) || !binding.AsSpan().SequenceEqual(_gs2Header)) return SaslFailure.MalformedRequest;
        if (!ScramSyntax.TryReadAttribute(ref rest, out name, out value) || name != (byte)'r') return SaslFailure.MalformedRequest;
        if (!value.SequenceEqual(_combinedNonce)) return SaslFailure.MalformedRequest;
        while (!rest.IsEmpty)
        {
            if (!ScramSyntax.TryReadAttribute(ref rest, out name, out _) || name == (byte)'p') return SaslFailure.MalformedRequest;
        }

        // RFC 5802 §3: AuthMessage = client-first-message-bare "," server-first-message ","
        // client-final-message-without-proof.
        var authMessage = new byte[_clientFirstBare!.Length + 1 + _serverFirst!.Length + 1 + withoutProof.Length];
        var span = authMessage.AsSpan();
        _clientFirstBare.CopyTo(span);
        span = span[_clientFirstBare.Length..];
        span[0] = (byte)',';
        _serverFirst.CopyTo(span[1..]);
        span = span[(1 + _serverFirst.Length)..];
        span[0] = (byte)',';
        withoutProof.CopyTo(span[1..]);

        // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); accept when H(ClientKey) = StoredKey.
        var clientKey = ScramPrimitives.Hmac(_hash, _storedKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] ^= proof[i];
        }
        var candidate = ScramPrimitives.Hash(_hash, clientKey);
        CryptographicOperations.ZeroMemory(clientKey);
        var matches = CryptographicOperations.FixedTimeEquals(candidate, _storedKey);
        if (!matches || _unknownUser) return SaslFailure.NotAuthorized;

        var signature = ScramPrimitives.Hmac(_hash, _serverKey, authMessage);
        ServerFinal = Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(signature));
        _step = Step.Succeeded;
        return null;
    }

    private void Expect(Step step)
    {
        if (_step != step)
        {
            throw new InvalidOperationException($"SCRAM exchange is at {_step}, not {step}.");
        }
    }

    private void Validate(ScramCredentials credentials)
    {
        var size = ScramPrimitives.HashSize(_hash);
        if (credentials.Hash != _hash) throw new ArgumentException($"Credentials are for {credentials.Hash}, the exchange is {MechanismName}.", nameof(credentials));
        if (credentials.Salt is not { Length: > 0 } || credentials.Iterations < 1
            || credentials.StoredKey?.Length != size || credentials.ServerKey?.Length != size)
        {
            throw new ArgumentException("Credentials are incomplete.", nameof(credentials));
        }
    }

    // HMAC-SHA-256(secret, mechanism NUL username) cut to the 16 bytes real salts have.
    private byte[] DecoySalt()
    {
        var input = Encoding.UTF8.GetBytes(MechanismName + "\0" + Username);
        return HMACSHA256.HashData(_decoySecret, input)[..16];
    }
}
