using XmppConf.Muc.Tests.TestKit;
using static XmppConf.Muc.Tests.TestKit.MucHarness;

namespace XmppConf.Muc.Tests.Features;

/// <summary>XEP-0045 §8.1 subject changes and §7.2.15 subject on entry.</summary>
[TestClass]
public sealed class SubjectFeatureTests
{
    [TestMethod]
    public async Task Join_NoSubject_EmptySubjectFromRoomJid()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");

        var sent = await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var subject = sent[^1];
        Assert.AreEqual("room@conference.example.org", subject.From());
        Assert.AreEqual("", subject.Element(St.Client + "subject")?.Value);
        Assert.IsNull(subject.Element(St.Client + "body"));
    }

    [TestMethod]
    public async Task ChangeSubject_Moderator_BroadcastAndShownToNewcomers()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.SubjectMessage("Fire Burn"), "owner@example.org/a", Room("room"));
        var join = await h.JoinAsync("carol@example.org/c", "room", "Carol");

        Assert.AreEqual(2, sent.Count, sent.Describe());
        Assert.IsTrue(sent.All(s => s.From() == "room@conference.example.org/Owner" && s.Element(St.Client + "subject")?.Value == "Fire Burn"));
        Assert.AreEqual("Fire Burn", join[^1].Element(St.Client + "subject")?.Value);
        Assert.AreEqual("room@conference.example.org/Owner", join[^1].From());
    }

    [TestMethod]
    [DataRow(false, "forbidden")]
    [DataRow(true, null)]
    public async Task ChangeSubject_Participant_AllowedOnlyWithChangeSubject(bool allowed, string? error)
    {
        await using var h = new MucHarness();
        await h.CreateConfiguredRoomAsync("owner@example.org/a", "room", "Owner", ("muc#roomconfig_changesubject", [allowed ? "1" : "0"]));
        await h.JoinAsync("bob@example.org/b", "room", "Bob");

        var sent = await h.SendAsync(St.SubjectMessage("mine now"), "bob@example.org/b", Room("room"));

        if (error is null)
        {
            Assert.AreEqual(2, sent.Count, sent.Describe());
        }
        else
        {
            Assert.AreEqual(error, sent.Single().ErrorCondition());
            var subject = await h.Service.Registry.AskAsync(Room("room"), r => r.State.Subject, CancellationToken.None);
            Assert.IsNull(subject);
        }
    }

    [TestMethod]
    public async Task Message_WithSubjectAndBody_IsOrdinaryMessage()
    {
        await using var h = new MucHarness();
        await h.CreateInstantRoomAsync("owner@example.org/a", "room", "Owner");
        var message = St.Groupchat("body text");
        message.Add(new System.Xml.Linq.XElement(St.Client + "subject", "thread title"));

        await h.SendAsync(message, "owner@example.org/a", Room("room"));

        var subject = await h.Service.Registry.AskAsync(Room("room"), r => r.State.Subject, CancellationToken.None);
        Assert.IsNull(subject);
    }
}
