using System.Xml.Linq;
using XmppConf.Core.Addressing;

namespace XmppConf.Muc.Rooms;

/// <summary>An item of a room's mailbox.</summary>
internal abstract class RoomMessage;

/// <summary>A stanza routed to the room or one of its occupants; 'from' is the sender's full JID.</summary>
internal sealed class StanzaMessage(XElement stanza, Jid from, Jid to) : RoomMessage
{
    public XElement Stanza { get; } = stanza;

    public Jid From { get; } = from;

    public Jid To { get; } = to;
}

/// <summary>A session ended without leaving (the safety net of <see cref="Service.MucService.SessionEndedAsync"/>).</summary>
internal sealed class SessionEndedMessage(Jid fullJid) : RoomMessage
{
    public Jid FullJid { get; } = fullJid;
}

/// <summary>A question run on the actor's loop (admin reads, configuration), answered through a task.</summary>
internal abstract class AskMessage : RoomMessage
{
    public abstract void Run(RoomContext room);

    public abstract void Abandon();
}

internal sealed class AskMessage<T>(Func<RoomContext, T> query) : AskMessage
{
    private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Answer => _answer.Task;

    public override void Run(RoomContext room)
    {
        try
        {
            _answer.TrySetResult(query(room));
        }
        catch (Exception ex)
        {
            _answer.TrySetException(ex);
        }
    }

    public override void Abandon() => _answer.TrySetException(new RoomStoppedException());
}

/// <summary>The room stopped before it could take the message; route it again (the registry reactivates the room).</summary>
public sealed class RoomStoppedException() : InvalidOperationException("The room stopped.");
