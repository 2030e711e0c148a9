using System.Xml.Linq;
using XmppConf.Core.Addressing;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;
using XmppConf.Core.Xml;
using XmppConf.Muc.Rooms;
using XmppConf.Muc.Service;

namespace XmppConf.Muc.Features;

/// <summary>
/// The owner's configuration dialogue (XEP-0045 §10.1.2 instant room, §10.1.3 reserved room,
/// §10.2 configuration). The form is assembled from every feature's
/// <see cref="IRoomFeature.ContributeConfigForm"/>; a submission is applied field by field
/// through <see cref="IRoomFeature.TryApplyConfigField"/> into a <see cref="ConfigSubmission"/>
/// and reaches the room only if all of it is valid. A real change is announced to occupants
/// with status 104 plus the privacy codes features add (170–173).
/// </summary>
internal sealed class OwnerConfigFeature : IRoomFeature
{
    private static readonly XNamespace MucOwner = Ns.MucOwner;
    private static readonly XNamespace MucUser = Ns.MucUser;
    private static readonly XNamespace Client = Ns.Client;

    public int Order => 1000;

    public IqReply? HandleRoomIq(RoomContext room, Occupant? sender, XElement iq, Jid from)
    {
        var query = iq.Element(MucOwner + "query");
        if (query is null || query.Element(MucOwner + "destroy") is not null) return null; // destroy: not this feature's.
        if (room.State.AffiliationOf(from.Bare) != Affiliation.Owner && !room.Host.IsServerAdmin(from.Bare))
        {
            return IqReply.Failed(StanzaError.Forbidden("Only owners may configure the room."));
        }
        if (iq.Attribute("type")?.Value == "get")
        {
            return IqReply.Result(new XElement(MucOwner + "query", BuildForm(room).ToElement()));
        }

        var x = query.Element(DataForm.ElementName);
        if (x is null || !DataForm.TryParse(x, out var form, out var parseError))
        {
            return IqReply.Failed(StanzaError.BadRequest(x is null ? "A configuration form is required." : "Malformed form."));
        }
        if (form.Type == DataFormType.Cancel)
        {
            // §10.1.3: cancelling the initial configuration of a locked new room destroys it.
            if (room.State.Locked) room.RequestDestroy();
            return IqReply.Empty;
        }
        if (form.Type != DataFormType.Submit || (form.FormType is { } formType && formType != MucNs.RoomConfig))
        {
            return IqReply.Failed(StanzaError.BadRequest("Expected a muc#roomconfig submission."));
        }
        return Apply(room, form) is { } error ? IqReply.Failed(error) : IqReply.Empty;
    }

    /// <summary>The room's current configuration as a muc#roomconfig form (§10.2 example 163).</summary>
    public static DataForm BuildForm(RoomContext room)
    {
        var form = new DataForm(DataFormType.Form, MucNs.RoomConfig)
        {
            Title = "Configuration for " + room.RoomJid,
        };
        form.Instructions.Add("Complete this form to modify the configuration of your room.");
        room.Features.ContributeConfigForm(room, form);
        return form;
    }

    /// <summary>Applies a submitted form; returns the error and changes nothing when any field is invalid.</summary>
    public static StanzaError? Apply(RoomContext room, DataForm form)
    {
        var submission = new ConfigSubmission(room.Config);
        foreach (var field in form.Fields)
        {
            if (field.Var is null or DataForm.FormTypeVar) continue;
            // Unknown fields are ignored, as XEP-0004 §3.2 lets a receiver ignore what it does not know.
            if (room.Features.TryApplyConfigField(room, field, submission, out var error) && error is not null)
            {
                return error;
            }
        }
        if (room.Features.ValidateConfig(room, submission.Config) is { } invalid) return invalid;
        var affiliations = ProposeAffiliations(room, submission, out var affiliationError);
        if (affiliationError is not null) return affiliationError;

        // Everything is valid: commit the configuration, then the affiliations (whose roles
        // depend on the new configuration, e.g. a moderated room).
        var before = room.Config;
        var after = submission.Config;
        var wasLocked = room.State.Locked;
        room.State.Config = after;
        room.State.Locked = false;
        if (submission.NewPassword is not null) room.State.ClearPassword = submission.NewPassword;
        if (!after.PasswordProtected) room.State.ClearPassword = null;
        var changed = before != after;
        if (changed || wasLocked) room.MarkDirty();
        if (affiliations is not null) CommitAffiliations(room, affiliations);

        if (changed)
        {
            var codes = new List<int> { 104 };
            room.Features.OnConfigChanged(room, before, after, codes);
            // A locked room's only occupant is the owner configuring it: nothing to announce.
            if (!wasLocked) Announce(room, codes);
        }
        return null;
    }

    /// <summary>The affiliation table the roomowners / roomadmins fields ask for, or null when the form has neither.</summary>
    private static Dictionary<Jid, AffiliationEntry>? ProposeAffiliations(RoomContext room, ConfigSubmission submission, out StanzaError? error)
    {
        error = null;
        if (submission.Owners is null && submission.Admins is null) return null;
        var proposed = new Dictionary<Jid, AffiliationEntry>(room.State.Affiliations);
        Replace(proposed, Affiliation.Owner, submission.Owners);
        Replace(proposed, Affiliation.Admin, submission.Admins);
        foreach (var entry in proposed.Values)
        {
            if (entry.Affiliation == Affiliation.Owner) return proposed;
        }
        // §10.5: a room must keep at least one owner.
        error = StanzaError.Conflict("A room needs at least one owner.");
        return null;
    }

    private static void Replace(Dictionary<Jid, AffiliationEntry> affiliations, Affiliation level, IReadOnlyList<Jid>? jids)
    {
        if (jids is null) return;
        foreach (var (jid, entry) in affiliations.ToArray())
        {
            if (entry.Affiliation == level && !jids.Contains(jid)) affiliations.Remove(jid);
        }
        foreach (var jid in jids)
        {
            var existing = affiliations.GetValueOrDefault(jid);
            if (existing?.Affiliation != level) affiliations[jid] = new AffiliationEntry(level, existing?.Reason, existing?.Nick);
        }
    }

    private static void CommitAffiliations(RoomContext room, Dictionary<Jid, AffiliationEntry> proposed)
    {
        var current = room.State.Affiliations;
        var changed = new List<(Jid, Affiliation)>();
        foreach (var (jid, entry) in current)
        {
            var next = proposed.TryGetValue(jid, out var p) ? p.Affiliation : Affiliation.None;
            if (next != entry.Affiliation) changed.Add((jid, next));
        }
        foreach (var (jid, entry) in proposed)
        {
            if (!current.ContainsKey(jid)) changed.Add((jid, entry.Affiliation));
        }
        if (changed.Count == 0) return;
        current.Clear();
        foreach (var (jid, entry) in proposed) current[jid] = entry;
        room.MarkDirty();
        foreach (var (jid, affiliation) in changed) room.ApplyAffiliationToOccupants(jid, affiliation);
    }

    /// <summary>§10.2.1: a message from the room JID with the status codes, to every occupant.</summary>
    private static void Announce(RoomContext room, List<int> codes)
    {
        codes.Sort();
        var x = new XElement(MucUser + "x");
        var previous = -1;
        foreach (var code in codes)
        {
            if (code == previous) continue;
            x.Add(new XElement(MucUser + "status", new XAttribute("code", code)));
            previous = code;
        }
        var message = new XElement(Client + "message",
            new XAttribute("from", room.RoomJid.ToString()),
            new XAttribute("type", "groupchat"),
            new XAttribute("id", Guid.NewGuid().ToString("N")),
            x);
        room.SendToAll(new BroadcastStanza(message));
    }
}
