using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Muc.Features;
using XmppConf.Muc.Service;
using XmppConf.Storage.InMemory;

namespace XmppConf.Muc.Tests.TestKit;

/// <summary>
/// A MUC service over the in-memory stores and a recording sink, driven with real stanzas.
/// <see cref="SendAsync"/> routes a stanza and waits until its room has handled it (an ask
/// queued behind it on the room's mailbox), then returns what the room sent meanwhile.
/// </summary>
internal sealed class MucHarness : IAsyncDisposable
{
    public const string ServerDomain = "example.org";
    public const string ServiceDomain = "conference.example.org";

    public MucHarness(MucOptions? options = null, InMemoryRoomStore? store = null, Func<Jid, bool>? isAdmin = null, FeatureSet? features = null)
    {
        Options = options ?? new MucOptions();
        Store = store ?? new InMemoryRoomStore();
        Service = new MucService(ServerDomain, Options, Sink, Store, Occupancy, isAdmin ?? (_ => false), "node1",
            features ?? FeatureSet.Default, Loggers, Time);
    }

    public MucOptions Options { get; }

    /// <summary>Warnings and errors the service logged; a harness with any fails its test on dispose.</summary>
    public RecordingLoggers Loggers { get; } = new();

    public RecordingSink Sink { get; } = new();

    public InMemoryRoomStore Store { get; }

    public InMemoryOccupancyTable Occupancy { get; } = new();

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public MucService Service { get; }

    public static Jid J(string text) => Jid.Parse(text);

    /// <summary>room@conference.example.org[/nick]</summary>
    public static Jid Room(string room, string? nick = null) => Jid.Create(room, ServiceDomain, nick);

    public async Task<List<XElement>> SendAsync(XElement stanza, string from, Jid to)
    {
        if (!Loggers.Problems.IsEmpty)
        {
            Assert.Fail("The service logged problems:\n" + string.Join("\n", Loggers.Problems));
        }
        await Service.RouteAsync(stanza, J(from), to, CancellationToken.None);
        if (to.Local is not null)
        {
            await SettleAsync(to.Bare);
        }
        return Sink.Take();
    }

    /// <summary>
    /// Waits until the room has handled everything posted so far. A room that stopped while
    /// handling it (destroyed, emptied) answers no ask; then its actor is awaited instead, since
    /// it sends its last presences on the way out.
    /// </summary>
    public async Task SettleAsync(Jid room)
    {
        if (await Service.Registry.AskAsync(room, _ => 1, CancellationToken.None) == 1) return;
        foreach (var actor in Service.Registry.ActiveRooms)
        {
            if (actor.RoomJid == room)
            {
                await actor.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
    }

    public Task<List<XElement>> JoinAsync(string from, string room, string nick, params object[] mucChildren) =>
        SendAsync(St.Enter(mucChildren), from, Room(room, nick));

    /// <summary>Creates an unlocked room owned by <paramref name="owner"/> (XEP-0045 §10.1.2 instant room).</summary>
    public async Task CreateInstantRoomAsync(string owner, string room, string nick)
    {
        await JoinAsync(owner, room, nick);
        var reply = await SendAsync(St.OwnerSubmit(), owner, Room(room));
        if (reply.Count == 0 || reply[^1].Type() != "result")
        {
            throw new InvalidOperationException("Instant room not created: " + reply.Describe());
        }
    }

    /// <summary>
    /// The cast of the moderation tests: owner@example.org/a creates "room" (nick Owner) with
    /// <paramref name="config"/> (none: an instant room), then bob@…/b (Bob) and carol@…/c (Carol) enter.
    /// </summary>
    public static async Task<MucHarness> RoomWithBobAndCarolAsync(params (string Var, string[] Values)[] config)
    {
        var h = new MucHarness();
        await h.CreateConfiguredRoomAsync(Cast.Owner, "room", "Owner", config);
        await h.JoinAsync(Cast.Bob, "room", "Bob");
        await h.JoinAsync(Cast.Carol, "room", "Carol");
        return h;
    }

    /// <summary>Creates a room and applies configuration fields in one submission.</summary>
    public async Task CreateConfiguredRoomAsync(string owner, string room, string nick, params (string Var, string[] Values)[] fields)
    {
        await JoinAsync(owner, room, nick);
        var reply = await SendAsync(St.OwnerSubmit(fields), owner, Room(room));
        if (reply.Count == 0 || reply[^1].Type() != "result")
        {
            throw new InvalidOperationException("Room not configured: " + reply.Describe());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        if (!Loggers.Problems.IsEmpty)
        {
            Assert.Fail("The service logged problems:\n" + string.Join("\n", Loggers.Problems));
        }
    }
}
