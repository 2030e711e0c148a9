using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Tests.Abstractions;

/// <summary>Test data builders and field-by-field comparisons (records holding arrays or lists compare those by reference).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Instant = new(2025, 3, 1, 12, 30, 45, 123, TimeSpan.FromHours(2));

    public static StoredScramKey Key(string hash, byte seed, int iterations = 4096) => new(
        hash,
        Bytes(16, seed),
        iterations,
        Bytes(hash == "SHA-1" ? 20 : 32, (byte)(seed + 1)),
        Bytes(hash == "SHA-1" ? 20 : 32, (byte)(seed + 2)));

    public static AccountRecord Account(string bareJid, byte seed = 1) =>
        new(bareJid, [Key("SHA-1", seed), Key("SHA-256", (byte)(seed + 10))], Instant);

    public static RosterItem Item(string contact, params string[] groups) =>
        new(contact, null, SubscriptionState.Both, false, false, false, true, groups);

    public static SessionEntry Session(string fullJid, string node = "node-a", int priority = 0, bool available = true) =>
        new(fullJid, node, priority, available, available ? $"<presence from='{fullJid}'/>" : null, Instant);

    public static void AssertKeysEqual(IReadOnlyList<StoredScramKey> expected, IReadOnlyList<StoredScramKey> actual)
    {
        Assert.AreEqual(expected.Count, actual.Count, "key set count");
        foreach (var want in expected)
        {
            var got = actual.SingleOrDefault(k => k.Hash == want.Hash);
            Assert.IsNotNull(got, $"no {want.Hash} key set");
            CollectionAssert.AreEqual(want.Salt, got.Salt, $"{want.Hash} salt");
            Assert.AreEqual(want.Iterations, got.Iterations, $"{want.Hash} iterations");
            CollectionAssert.AreEqual(want.StoredKey, got.StoredKey, $"{want.Hash} StoredKey");
            CollectionAssert.AreEqual(want.ServerKey, got.ServerKey, $"{want.Hash} ServerKey");
        }
    }

    public static void AssertItemEqual(RosterItem expected, RosterItem? actual)
    {
        Assert.IsNotNull(actual, $"no item for {expected.ContactJid}");
        Assert.AreEqual(expected with { Groups = Array.Empty<string>() }, actual with { Groups = Array.Empty<string>() }, "scalar fields");
        CollectionAssert.AreEqual(expected.Groups.ToArray(), actual.Groups.ToArray(), "groups");
    }

    private static byte[] Bytes(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i * 7);
        }
        return bytes;
    }
}
