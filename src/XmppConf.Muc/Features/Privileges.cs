using XmppConf.Core.Addressing;
using XmppConf.Core.Stanzas;
using XmppConf.Muc.Rooms;

namespace XmppConf.Muc.Features;

/// <summary>
/// Who may change whose role or affiliation, and who may read which list (XEP-0045 §5.1.1,
/// §5.2.1 privilege tables, §8 moderator and §9 admin use cases, §10.3–§10.8 owner lists).
/// The answer is an error value, null when allowed. Per the XEP, a request the actor's rank
/// does not cover is forbidden; a request that is of a kind the actor may make but aimed at
/// someone the actor may not touch is not-allowed; banning oneself is a conflict.
/// </summary>
internal static class Privileges
{
    /// <summary>May <paramref name="actor"/> give <paramref name="target"/> the role <paramref name="next"/> (kick when none)?</summary>
    public static StanzaError? CheckRoleChange(Actor actor, Occupant target, Role next)
    {
        // §8: every role change is a moderator's request.
        if (!actor.IsModerator)
        {
            return StanzaError.Forbidden("Only moderators may change roles.");
        }
        // §9.6–§9.8 (admin use cases): granting or revoking moderator status needs an admin or owner.
        var current = target.Role;
        if ((next == Role.Moderator && current != Role.Moderator) || (current == Role.Moderator && next is Role.Participant or Role.Visitor))
        {
            if (actor.Affiliation < Affiliation.Admin)
            {
                return StanzaError.Forbidden("Only admins and owners may grant or revoke moderator status.");
            }
        }
        if (next >= current) return null; // Granting voice or moderator status harms nobody.

        // §8.2 and §5.1.3 *: nobody is kicked or demoted by someone of lower affiliation.
        if (target.Affiliation > actor.Affiliation)
        {
            return StanzaError.NotAllowed("You cannot change the role of a user with a higher affiliation.");
        }
        // §5.1.3 role chart: a moderator is kicked only by an admin or owner.
        if (next == Role.None && current == Role.Moderator && actor.Affiliation < Affiliation.Admin)
        {
            return StanzaError.NotAllowed("Only admins and owners may kick a moderator.");
        }
        if (target.Affiliation >= Affiliation.Admin)
        {
            // §8.4: "a service MUST NOT allow the voice privileges of an admin or owner to be removed by anyone".
            if (next == Role.Visitor)
            {
                return StanzaError.NotAllowed("Admins and owners cannot lose their voice.");
            }
            // §9.7: moderator status is not revoked from an admin or owner (an owner may still demote an admin, §5.1.3 *).
            if (next == Role.Participant && actor.Affiliation <= target.Affiliation)
            {
                return StanzaError.NotAllowed("Moderator status cannot be revoked from an admin or owner.");
            }
        }
        return null;
    }

    /// <summary>May <paramref name="actor"/> change <paramref name="target"/>'s affiliation from <paramref name="current"/> to <paramref name="next"/>?</summary>
    public static StanzaError? CheckAffiliationChange(Actor actor, Jid target, Affiliation current, Affiliation next)
    {
        // §9: affiliation changes are admin use cases.
        if (actor.Affiliation < Affiliation.Admin)
        {
            return StanzaError.Forbidden("Only admins and owners may change affiliations.");
        }
        // §9.1: "If an admin or owner attempts to ban himself, the service MUST deny the request and return a conflict".
        if (next == Affiliation.Outcast && target == actor.BareJid)
        {
            return StanzaError.Conflict("You cannot ban yourself.");
        }
        // §10: owners may change any affiliation (keeping one owner is checked on the whole request).
        if (actor.Affiliation == Affiliation.Owner) return null;

        // An admin from here on. §10.3, §10.6: only owners grant admin or owner status.
        if (next >= Affiliation.Admin)
        {
            return StanzaError.Forbidden("Only owners may grant admin or owner status.");
        }
        if (current >= Affiliation.Admin)
        {
            // §9.1: an admin banning an owner (or a peer, per the §5.2.2 state chart) is not-allowed;
            // §10.4, §10.7: revoking admin or owner status is the owners' alone.
            return next == Affiliation.Outcast
                ? StanzaError.NotAllowed("You cannot ban an admin or owner.")
                : StanzaError.Forbidden("Only owners may revoke admin or owner status.");
        }
        return null;
    }

    /// <summary>May <paramref name="actor"/> read the list of users with <paramref name="list"/> (§9.2, §9.5, §10.5, §10.8)?</summary>
    public static StanzaError? CheckAffiliationList(RoomContext room, Actor actor, Affiliation list)
    {
        var nonAnonymous = room.Config.Whois == WhoisPolicy.Anyone;
        var allowed = list switch
        {
            // §9.2: the ban list is the admins'.
            Affiliation.Outcast => actor.Affiliation >= Affiliation.Admin,
            // §9.5 and muc#roomconfig_getmemberlist: admins; occupants in a listed role who may
            // see real JIDs anyway (§5.2.1 ***: the list reveals them); in a non-anonymous
            // room any member, present or not (§9.5 note).
            Affiliation.Member => actor.Affiliation >= Affiliation.Admin
                || (nonAnonymous && actor.Affiliation >= Affiliation.Member)
                || (actor.Occupant is { } occupant && room.Config.GetMemberList.Contains(occupant.Role) && room.CanSeeRealJids(occupant)),
            // §10.5, §10.8: owners; "in non-anonymous rooms, the service MAY process the request" (for members).
            _ => actor.Affiliation == Affiliation.Owner || (nonAnonymous && actor.Affiliation >= Affiliation.Member),
        };
        return allowed ? null : StanzaError.Forbidden("You are not allowed to retrieve that list.");
    }

    /// <summary>May <paramref name="actor"/> read the occupants with <paramref name="role"/> (§8.5 voice list, §9.8 moderator list)?</summary>
    public static StanzaError? CheckRoleList(Actor actor, Role role)
    {
        var allowed = role == Role.Moderator ? actor.Affiliation >= Affiliation.Admin : actor.IsModerator;
        return allowed ? null : StanzaError.Forbidden("You are not allowed to retrieve that list.");
    }
}
