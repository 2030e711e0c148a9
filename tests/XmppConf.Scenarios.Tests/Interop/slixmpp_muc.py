#!/usr/bin/python3
"""End-to-end XEP-0045 (Multi-User Chat) check driven by slixmpp (Debian's python3-slixmpp 1.8).

Usage: slixmpp_muc.py HOST PORT DOMAIN MUC_DOMAIN PASSWORD SCENARIO

Accounts alice, bob, carol and dave must exist on DOMAIN with PASSWORD; they log in over
STARTTLS on PORT (certificate not verified: test servers use self-signed certificates).
MUC_DOMAIN is the chat service. Every scenario uses a fresh room "<scenario>-<random>" that
alice creates: her join must answer with status 110+201 (owner/moderator), she fetches the
muc#owner form (FORM_TYPE muc#roomconfig) and submits the fields the scenario needs.
Scenarios and what each asserts:

  create-configure  service disco advertises the muc feature; a new room is locked
                    (item-not-found for others) until configured; after configuring
                    (roomname, persistent, whois=anyone) bob joins: existing occupants'
                    presence arrives before his self-presence, which has 110 and 100
                    (non-anonymous); items carry real JIDs; the subject follows; room disco
                    shows identity conference/text with the name and muc_persistent +
                    muc_nonanonymous; a renamed room notifies occupants with status 104;
                    a non-owner asking for the config form gets forbidden; leaving yields
                    unavailable self-presence with 110 and role none; the persistent room
                    still answers disco#info after everyone left.
  password          roomsecret set: join without / with a wrong password -> not-authorized;
                    with the right one -> joined; disco shows muc_passwordprotected.
  members-only      non-member join -> registration-required; a non-admin editing the
                    member list -> forbidden; owner grants membership, member list lists bob,
                    bob joins as member; revoking membership removes him with 321 (+110).
  kick              semi-anonymous room: no 100, participants see no real JIDs but the
                    moderator does; a participant kicking -> forbidden; moderator kicks bob:
                    he gets unavailable with 110+307, role none and the reason, others get
                    307 without 110; bob can rejoin.
  ban               a participant banning -> forbidden; owner banning herself -> conflict;
                    ban of bob: 110+301 with affiliation outcast to him, 301 to others; the
                    outcast list holds bob; his rejoin -> forbidden; lifting the ban lets
                    him in again.
  moderated-voice   moderated room: bob enters as visitor; his groupchat message -> forbidden
                    and is not broadcast; granting voice (role participant) updates his
                    presence and he can speak; revoking makes him visitor again; if the room
                    advertises muc#request, a voice request reaches the moderator as a data
                    form and approving it grants voice.
  history           three messages before bob joins arrive after his self-presence, in order,
                    from the sender's occupant JID, with XEP-0203 delay from the room JID,
                    before the subject; maxstanzas=1 gives only the last, maxstanzas=0 none;
                    live messages carry no delay; if the room (or service) advertises
                    urn:xmpp:sid:0, groupchat messages carry <stanza-id by=room>.
  nick-change       bob -> robert: unavailable with 303 (+110 to him) and nick='robert', then
                    available from the new occupant JID (with 110 to him); joining with a
                    nick in use -> conflict; changing to a nick in use -> conflict and the
                    occupant stays in the room; messages come from the new nick.
  private-message   chat messages between occupant JIDs are relayed with the sender's
                    occupant JID as 'from'; PM to a missing nick -> item-not-found; type
                    groupchat to an occupant -> bad-request; PM from a non-occupant ->
                    not-acceptable.
  invite            mediated invitation reaches bob from the room with the inviter and the
                    reason; bob's decline reaches alice from the room; a XEP-0249 direct
                    invitation reaches carol, who then joins.
  destroy           a non-owner destroying -> forbidden; the owner destroys with reason and
                    alternate venue: occupants get unavailable with <destroy jid=...> and the
                    reason, role none; the room then answers disco#info with item-not-found
                    (or gone, for a service that remembers destroyed rooms).
  all               every scenario above in order.

Error conditions follow the XEP's MUST wording: unprivileged muc#admin requests must get
<forbidden/> (§8, §9 introductions), which Prosody 0.12 answers with <not-allowed/> instead.
Optional behaviour is only checked when advertised (stanza-id, voice requests) or accepted in
either documented form (e.g. <gone/> for a remembered destroyed room).

Prints "OK <scenario>" per passed scenario; on the first failure prints
"FAILED <scenario>: <step>: <reason>" and exits 1. Exit 2 on bad usage.
"""
import asyncio
import logging
import secrets
import ssl
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import slixmpp
from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

TIMEOUT = 10
CLIENT = "jabber:client"
NS_MUC = "http://jabber.org/protocol/muc"
NS_USER = NS_MUC + "#user"
NS_ADMIN = NS_MUC + "#admin"
NS_OWNER = NS_MUC + "#owner"
NS_REQUEST = NS_MUC + "#request"
NS_ROOMCONFIG = NS_MUC + "#roomconfig"
NS_DISCO_INFO = "http://jabber.org/protocol/disco#info"
NS_DATA = "jabber:x:data"
NS_DELAY = "urn:xmpp:delay"
NS_SID = "urn:xmpp:sid:0"
NS_CONFERENCE = "jabber:x:conference"
# Registry fields a server may legitimately not offer (Prosody derives password protection
# from a non-empty roomsecret); set them only when the form has them.
OPTIONAL_FIELDS = {"muc#roomconfig_passwordprotectedroom"}

if len(sys.argv) != 7:
    print(__doc__)
    sys.exit(2)
HOST, PORT, DOMAIN, MUC_DOMAIN, PASSWORD, SCENARIO = sys.argv[1], int(sys.argv[2]), *sys.argv[3:7]


class Fail(Exception):
    pass


class Step:
    """Names the step in progress so a failure says where it happened."""
    current = "setup"


def step(text):
    Step.current = text


class Client(slixmpp.ClientXMPP):
    def __init__(self, user):
        super().__init__(f"{user}@{DOMAIN}/muc", PASSWORD)
        for plugin in ("xep_0030", "xep_0004", "xep_0045", "xep_0203", "xep_0249", "xep_0359"):
            self.register_plugin(plugin)
        # slixmpp 1.8.3's decline handler crashes (self.room typo); declines are read raw below.
        self.remove_handler("MUCDecline")
        # Self-signed test certificate: the fingerprint is what a user would check.
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self.user = user
        self.inbox = []
        self.seq = {}
        self.counter = 0
        self.arrived = asyncio.Event()
        self.ready = asyncio.Event()
        # Raw capture of every presence and message: the plugin hides status codes, order
        # and errors that the scenarios assert on.
        for name in ("presence", "message"):
            self.register_handler(Callback(f"capture {name}", MatchXPath(f"{{{CLIENT}}}{name}"), self._capture))
        self.add_event_handler("session_start", self._on_start)
        self.auth_failed = False
        self.add_event_handler("failed_all_auth", self._on_auth_failed)

    def _on_auth_failed(self, _):
        self.auth_failed = True
        self.ready.set()

    def _on_start(self, _):
        # Available presence so messages to the bare JID (invitations) are delivered.
        self.send_presence()
        self.ready.set()

    def _capture(self, stanza):
        self.counter += 1
        self.seq[id(stanza)] = self.counter
        self.inbox.append(stanza)
        self.arrived.set()

    def order(self, stanza):
        return self.seq.get(id(stanza), 0)

    async def expect(self, what, pred, timeout=TIMEOUT):
        """Remove and return the first captured stanza matching pred, waiting up to timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i, st in enumerate(self.inbox):
                if pred(st):
                    return self.inbox.pop(i)
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = " | ".join(str(s)[:300] for s in self.inbox[-4:])
                raise Fail(f"{self.user} timed out waiting for {what}; last unmatched: {seen or 'none'}")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def pending(self, pred):
        return [st for st in self.inbox if pred(st)]


# ---- stanza inspection -------------------------------------------------------------------

def kind(st):
    return st.xml.tag.split("}")[-1]


def stype(st):
    default = "available" if kind(st) == "presence" else "normal"
    return st.xml.get("type", default)


def x_user(st):
    return st.xml.find(f"{{{NS_USER}}}x")


def codes(st):
    x = x_user(st)
    return set() if x is None else {int(s.get("code", "0")) for s in x.findall(f"{{{NS_USER}}}status")}


def item(st):
    x = x_user(st)
    return None if x is None else x.find(f"{{{NS_USER}}}item")


def item_attr(st, name):
    it = item(st)
    return None if it is None else it.get(name)


def body(st):
    return st.xml.findtext(f"{{{CLIENT}}}body")


def has_child(st, tag):
    return st.xml.find(f"{{{CLIENT}}}{tag}") is not None


def condition(st):
    return st["error"]["condition"]


def describe(st):
    return str(st)[:400]


def presence_from(jid, ptype="available", code=None):
    """Presence from exactly this occupant JID (or from any occupant when jid is a bare room)."""
    jid = JID(jid)

    def pred(st):
        if kind(st) != "presence" or stype(st) != ptype:
            return False
        frm = st["from"]
        if (frm != jid) if jid.resource else (frm.bare != jid.bare):
            return False
        return code is None or code in codes(st)
    return pred


def message_from(jid, mtype=None, with_body=None, child=None):
    jid = JID(jid)

    def pred(st):
        if kind(st) != "message" or (mtype is not None and stype(st) != mtype):
            return False
        frm = st["from"]
        if (frm != jid) if jid.resource else (frm.bare != jid.bare):
            return False
        if with_body is not None and body(st) != with_body:
            return False
        return child is None or st.xml.find(child) is not None
    return pred


def is_subject(room):
    def pred(st):
        return (kind(st) == "message" and st["from"].bare == room and stype(st) == "groupchat"
                and has_child(st, "subject") and not has_child(st, "body"))
    return pred


def check(cond, text):
    if not cond:
        raise Fail(text)


# ---- protocol helpers --------------------------------------------------------------------

def new_room(name):
    return f"{name}-{secrets.token_hex(4)}@{MUC_DOMAIN}"


async def send_iq(c, to, itype, payload):
    iq = c.make_iq_get(ito=to) if itype == "get" else c.make_iq_set(ito=to)
    iq.append(payload)
    try:
        return await iq.send(timeout=TIMEOUT)
    except IqTimeout:
        raise Fail(f"{c.user}: no reply to iq {itype} to {to}")


async def expect_iq_error(what, coro, cond):
    try:
        result = await coro
    except IqError as e:
        got = e.iq["error"]["condition"]
        check(got == cond, f"{what}: expected <{cond}/>, got <{got}/>: {describe(e.iq)}")
        return e.iq
    raise Fail(f"{what}: expected <{cond}/> but got {describe(result)}")


async def iq_ok(what, coro):
    try:
        return await coro
    except IqError as e:
        raise Fail(f"{what}: refused with <{e.iq['error']['condition']}/>: {describe(e.iq)}")


def admin_query(reason=None, **attrs):
    query = ET.Element(f"{{{NS_ADMIN}}}query")
    it = ET.SubElement(query, f"{{{NS_ADMIN}}}item", attrs)
    if reason:
        ET.SubElement(it, f"{{{NS_ADMIN}}}reason").text = reason
    return query


async def admin_set(c, room, reason=None, **attrs):
    return await send_iq(c, room, "set", admin_query(reason, **attrs))


async def admin_list(c, room, affiliation):
    res = await iq_ok(f"{affiliation} list", send_iq(c, room, "get", admin_query(affiliation=affiliation)))
    return {JID(it.get("jid")).bare for it in res.xml.iter(f"{{{NS_ADMIN}}}item") if it.get("jid")}


async def disco_info(c, jid):
    iq = c.make_iq_get(queryxmlns=NS_DISCO_INFO, ito=jid)
    try:
        res = await iq.send(timeout=TIMEOUT)
    except IqTimeout:
        raise Fail(f"no disco#info reply from {jid}")
    query = res.xml.find(f"{{{NS_DISCO_INFO}}}query")
    features = {f.get("var") for f in query.findall(f"{{{NS_DISCO_INFO}}}feature")}
    identities = [(i.get("category"), i.get("type"), i.get("name"))
                  for i in query.findall(f"{{{NS_DISCO_INFO}}}identity")]
    return features, identities


def join_presence(c, room, nick, password=None, maxstanzas=None):
    pres = c.make_presence(pto=f"{room}/{nick}")
    x = ET.SubElement(pres.xml, f"{{{NS_MUC}}}x")
    if password is not None:
        ET.SubElement(x, f"{{{NS_MUC}}}password").text = password
    if maxstanzas is not None:
        ET.SubElement(x, f"{{{NS_MUC}}}history", {"maxstanzas": str(maxstanzas)})
    return pres


async def join(c, room, nick, password=None, maxstanzas=None, error=None):
    """Enter room; returns the self-presence (110), or the error presence when error is given."""
    join_presence(c, room, nick, password, maxstanzas).send()

    def done(st):
        return (kind(st) == "presence" and st["from"].bare == room
                and (stype(st) == "error" or (stype(st) == "available" and 110 in codes(st))))
    st = await c.expect(f"self-presence or error from {room}", done)
    if error is None:
        check(stype(st) != "error", f"{c.user} could not join as {nick}: <{condition(st)}/>: {describe(st)}")
        return st
    check(stype(st) == "error", f"{c.user} joined but expected <{error}/>: {describe(st)}")
    check(condition(st) == error, f"{c.user} join refused with <{condition(st)}/>, expected <{error}/>")
    return st


async def leave(c, room, nick):
    c.send_presence(pto=f"{room}/{nick}", ptype="unavailable")
    st = await c.expect(f"own unavailable presence from {room}/{nick}",
                        presence_from(f"{room}/{nick}", "unavailable", 110))
    check(item_attr(st, "role") == "none", f"role after leaving is {item_attr(st, 'role')}: {describe(st)}")
    return st


async def config_form(c, room):
    res = await iq_ok("fetch config form", send_iq(c, room, "get", ET.Element(f"{{{NS_OWNER}}}query")))
    form = res.xml.find(f"{{{NS_OWNER}}}query/{{{NS_DATA}}}x")
    check(form is not None, f"owner query result has no data form: {describe(res)}")
    fields = {f.get("var"): f for f in form.findall(f"{{{NS_DATA}}}field")}
    form_type = fields.get("FORM_TYPE")
    check(form_type is not None and form_type.findtext(f"{{{NS_DATA}}}value") == NS_ROOMCONFIG,
          "config form FORM_TYPE is not muc#roomconfig")
    return fields


async def configure(c, room, values):
    """Fetch the owner form and submit FORM_TYPE plus the given fields (short names)."""
    offered = await config_form(c, room)
    query = ET.Element(f"{{{NS_OWNER}}}query")
    x = ET.SubElement(query, f"{{{NS_DATA}}}x", {"type": "submit"})

    def add(var, value):
        field = ET.SubElement(x, f"{{{NS_DATA}}}field", {"var": var})
        ET.SubElement(field, f"{{{NS_DATA}}}value").text = value
    add("FORM_TYPE", NS_ROOMCONFIG)
    for short, value in values.items():
        var = f"muc#roomconfig_{short}"
        if var not in offered:
            check(var in OPTIONAL_FIELDS, f"config form lacks {var}")
            continue
        add(var, {True: "1", False: "0"}.get(value, value) if isinstance(value, bool) else value)
    await iq_ok("submit config form", send_iq(c, room, "set", query))


async def create_room(c, room, nick, config):
    step(f"{c.user} creates {room}")
    st = await join(c, room, nick)
    check({110, 201} <= codes(st), f"creation self-presence codes {sorted(codes(st))}, expected 110 and 201")
    check(item_attr(st, "affiliation") == "owner" and item_attr(st, "role") == "moderator",
          f"creator is {item_attr(st, 'affiliation')}/{item_attr(st, 'role')}, expected owner/moderator")
    step(f"{c.user} configures {room}")
    await configure(c, room, config)
    return st


def groupchat(c, room, text):
    c.send_message(mto=room, mbody=text, mtype="groupchat")


async def sid_advertised(c, room):
    features, _ = await disco_info(c, room)
    if NS_SID in features:
        return True
    features, _ = await disco_info(c, MUC_DOMAIN)
    return NS_SID in features


def check_stanza_id(st, room):
    ids = [e for e in st.xml.findall(f"{{{NS_SID}}}stanza-id") if e.get("by") == room]
    check(len(ids) == 1 and ids[0].get("id"), f"groupchat message lacks <stanza-id by='{room}'>: {describe(st)}")


# ---- scenarios ---------------------------------------------------------------------------

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__.replace("_", "-")] = fn
    return fn


@scenario
async def create_configure(alice, bob, carol, dave):
    room = new_room("create-configure")
    step("service disco#info")
    features, identities = await disco_info(alice, MUC_DOMAIN)
    check(NS_MUC in features, f"{MUC_DOMAIN} does not advertise {NS_MUC}: {sorted(features)}")
    check(any(cat == "conference" for cat, _, _ in identities), f"{MUC_DOMAIN} has no conference identity")

    step("alice creates the room")
    st = await join(alice, room, "alice")
    check({110, 201} <= codes(st), f"creation self-presence codes {sorted(codes(st))}, expected 110 and 201")
    check(item_attr(st, "affiliation") == "owner" and item_attr(st, "role") == "moderator",
          f"creator is {item_attr(st, 'affiliation')}/{item_attr(st, 'role')}")

    step("locked room refuses bob")
    await join(bob, room, "bob", error="item-not-found")

    step("alice configures")
    await configure(alice, room, {"roomname": "Create Configure", "persistentroom": True, "whois": "anyone"})

    step("bob joins the non-anonymous room")
    own = await join(bob, room, "bob")
    check({110, 100} <= codes(own), f"bob's self-presence codes {sorted(codes(own))}, expected 110 and 100")
    check(201 not in codes(own), "bob's join was reported as a room creation (201)")
    check(item_attr(own, "affiliation") == "none" and item_attr(own, "role") == "participant",
          f"bob is {item_attr(own, 'affiliation')}/{item_attr(own, 'role')}, expected none/participant")
    check(JID(item_attr(own, "jid") or "") == bob.boundjid, f"bob's own item jid is {item_attr(own, 'jid')}")
    owner = bob.pending(presence_from(f"{room}/alice"))
    check(owner, "bob never got alice's presence before his self-presence")
    check(bob.order(owner[0]) < bob.order(own), "alice's presence arrived after bob's self-presence")
    check(item_attr(owner[0], "affiliation") == "owner" and item_attr(owner[0], "role") == "moderator",
          f"alice seen by bob as {item_attr(owner[0], 'affiliation')}/{item_attr(owner[0], 'role')}")
    check(JID(item_attr(owner[0], "jid") or "") == alice.boundjid,
          f"non-anonymous room hides alice's JID from bob: {describe(owner[0])}")
    seen = await alice.expect("bob's join presence", presence_from(f"{room}/bob"))
    check(JID(item_attr(seen, "jid") or "") == bob.boundjid, f"alice sees bob's jid as {item_attr(seen, 'jid')}")
    check(110 not in codes(seen), "alice got 110 on bob's presence")
    subject = await bob.expect("room subject", is_subject(room))
    check(bob.order(subject) > bob.order(own), "subject arrived before the self-presence")

    step("room disco#info")
    features, identities = await disco_info(bob, room)
    check(("conference", "text", "Create Configure") in identities, f"room identities {identities}")
    for feature in (NS_MUC, "muc_persistent", "muc_nonanonymous"):
        check(feature in features, f"room lacks feature {feature}: {sorted(features)}")

    step("reconfiguration notifies with 104")
    await configure(alice, room, {"roomname": "Renamed"})
    note = await bob.expect("status 104 message", message_from(room, "groupchat", child=f"{{{NS_USER}}}x"))
    check(104 in codes(note), f"configuration change message codes {sorted(codes(note))}, expected 104")
    _, identities = await disco_info(bob, room)
    check(any(name == "Renamed" for _, _, name in identities), f"room name not updated: {identities}")

    step("non-owner asks for the config form")
    await expect_iq_error("bob fetching config", send_iq(bob, room, "get", ET.Element(f"{{{NS_OWNER}}}query")),
                          "forbidden")

    step("leaving")
    await leave(bob, room, "bob")
    gone = await alice.expect("bob's unavailable presence", presence_from(f"{room}/bob", "unavailable"))
    check(item_attr(gone, "role") == "none", f"departed bob's role is {item_attr(gone, 'role')}")
    await leave(alice, room, "alice")

    step("persistent room survives emptiness")
    features, _ = await disco_info(carol, room)
    check("muc_persistent" in features, f"empty persistent room lost muc_persistent: {sorted(features)}")


@scenario
async def password(alice, bob, carol, dave):
    room = new_room("password")
    await create_room(alice, room, "alice",
                      {"roomname": "Password", "persistentroom": False,
                       "passwordprotectedroom": True, "roomsecret": "s3cret"})
    step("disco shows password protection")
    features, _ = await disco_info(bob, room)
    check("muc_passwordprotected" in features, f"room lacks muc_passwordprotected: {sorted(features)}")
    step("join without password")
    await join(bob, room, "bob", error="not-authorized")
    step("join with a wrong password")
    await join(bob, room, "bob", password="wrong", error="not-authorized")
    step("join with the password")
    own = await join(bob, room, "bob", password="s3cret")
    check(item_attr(own, "role") == "participant", f"bob's role is {item_attr(own, 'role')}")
    await alice.expect("bob's join presence", presence_from(f"{room}/bob"))


@scenario
async def members_only(alice, bob, carol, dave):
    room = new_room("members-only")
    await create_room(alice, room, "alice", {"roomname": "Members", "persistentroom": False, "membersonly": True})
    step("disco shows members-only")
    features, _ = await disco_info(bob, room)
    check("muc_membersonly" in features, f"room lacks muc_membersonly: {sorted(features)}")
    step("non-member joins")
    await join(bob, room, "bob", error="registration-required")
    step("non-admin edits the member list")
    await expect_iq_error("bob adding himself", admin_set(bob, room, affiliation="member", jid=bob.boundjid.bare),
                          "forbidden")
    step("owner grants membership")
    await iq_ok("grant membership", admin_set(alice, room, affiliation="member", jid=bob.boundjid.bare))
    members = await admin_list(alice, room, "member")
    check(bob.boundjid.bare in members, f"member list {sorted(members)} lacks bob")
    step("member joins")
    own = await join(bob, room, "bob")
    check(item_attr(own, "affiliation") == "member", f"bob's affiliation is {item_attr(own, 'affiliation')}")
    await alice.expect("bob's join presence", presence_from(f"{room}/bob"))
    step("revoking membership removes bob")
    await iq_ok("revoke membership", admin_set(alice, room, affiliation="none", jid=bob.boundjid.bare))
    out = await bob.expect("removal presence", presence_from(f"{room}/bob", "unavailable"))
    check({110, 321} <= codes(out), f"bob's removal codes {sorted(codes(out))}, expected 110 and 321")
    check(item_attr(out, "role") == "none", f"bob's role after removal is {item_attr(out, 'role')}")
    seen = await alice.expect("bob's removal", presence_from(f"{room}/bob", "unavailable"))
    check(321 in codes(seen) and 110 not in codes(seen), f"alice saw codes {sorted(codes(seen))}, expected 321")
    step("former member rejoins")
    await join(bob, room, "bob", error="registration-required")


@scenario
async def kick(alice, bob, carol, dave):
    room = new_room("kick")
    await create_room(alice, room, "alice", {"roomname": "Kick", "persistentroom": False, "whois": "moderators"})
    step("bob and carol join the semi-anonymous room")
    own = await join(bob, room, "bob")
    check(100 not in codes(own), "semi-anonymous room sent status 100")
    seen = await alice.expect("bob's join presence", presence_from(f"{room}/bob"))
    check(JID(item_attr(seen, "jid") or "") == bob.boundjid, f"moderator sees bob's jid as {item_attr(seen, 'jid')}")
    await join(carol, room, "carol")
    early = carol.pending(presence_from(f"{room}/bob"))
    check(early and item_attr(early[0], "jid") is None,
          f"participant carol sees bob's real JID in a semi-anonymous room: {[describe(s) for s in early]}")
    await bob.expect("carol's join presence", presence_from(f"{room}/carol"))
    await alice.expect("carol's join presence", presence_from(f"{room}/carol"))

    step("participant tries to kick")
    await expect_iq_error("bob kicking carol", admin_set(bob, room, nick="carol", role="none"), "forbidden")

    step("moderator kicks bob")
    await iq_ok("kick", admin_set(alice, room, reason="behave", nick="bob", role="none"))
    out = await bob.expect("kick presence", presence_from(f"{room}/bob", "unavailable"))
    check({110, 307} <= codes(out), f"kicked bob got codes {sorted(codes(out))}, expected 110 and 307")
    check(item_attr(out, "role") == "none", f"kicked bob's role is {item_attr(out, 'role')}")
    check(item(out).findtext(f"{{{NS_USER}}}reason") == "behave", f"kick reason missing: {describe(out)}")
    seen = await carol.expect("bob's kick presence", presence_from(f"{room}/bob", "unavailable"))
    check(307 in codes(seen) and 110 not in codes(seen), f"carol saw codes {sorted(codes(seen))}, expected 307")

    step("kicked user rejoins")
    await join(bob, room, "bob")


@scenario
async def ban(alice, bob, carol, dave):
    room = new_room("ban")
    await create_room(alice, room, "alice", {"roomname": "Ban", "persistentroom": False})
    step("bob and carol join")
    await join(bob, room, "bob")
    await join(carol, room, "carol")

    step("participant tries to ban")
    await expect_iq_error("carol banning bob", admin_set(carol, room, affiliation="outcast", jid=bob.boundjid.bare),
                          "forbidden")
    step("owner bans herself")
    await expect_iq_error("alice banning herself",
                          admin_set(alice, room, affiliation="outcast", jid=alice.boundjid.bare), "conflict")

    step("owner bans bob")
    await iq_ok("ban", admin_set(alice, room, reason="spam", affiliation="outcast", jid=bob.boundjid.bare))
    out = await bob.expect("ban presence", presence_from(f"{room}/bob", "unavailable"))
    check({110, 301} <= codes(out), f"banned bob got codes {sorted(codes(out))}, expected 110 and 301")
    check(item_attr(out, "affiliation") == "outcast" and item_attr(out, "role") == "none",
          f"banned bob is {item_attr(out, 'affiliation')}/{item_attr(out, 'role')}, expected outcast/none")
    seen = await carol.expect("bob's ban presence", presence_from(f"{room}/bob", "unavailable"))
    check(301 in codes(seen) and 110 not in codes(seen), f"carol saw codes {sorted(codes(seen))}, expected 301")
    outcasts = await admin_list(alice, room, "outcast")
    check(bob.boundjid.bare in outcasts, f"outcast list {sorted(outcasts)} lacks bob")

    step("banned user rejoins")
    await join(bob, room, "bob", error="forbidden")
    step("ban lifted")
    await iq_ok("unban", admin_set(alice, room, affiliation="none", jid=bob.boundjid.bare))
    await join(bob, room, "bob")


@scenario
async def moderated_voice(alice, bob, carol, dave):
    room = new_room("moderated-voice")
    await create_room(alice, room, "alice", {"roomname": "Moderated", "persistentroom": False, "moderatedroom": True})
    step("disco shows moderation")
    features, _ = await disco_info(bob, room)
    check("muc_moderated" in features, f"room lacks muc_moderated: {sorted(features)}")

    step("bob enters as visitor")
    own = await join(bob, room, "bob")
    check(item_attr(own, "role") == "visitor", f"bob's role in a moderated room is {item_attr(own, 'role')}")
    await alice.expect("bob's join presence", presence_from(f"{room}/bob"))

    step("visitor speaks")
    groupchat(bob, room, "may I?")
    err = await bob.expect("error for visitor message", message_from(room, "error"))
    check(condition(err) == "forbidden", f"visitor message refused with <{condition(err)}/>, expected forbidden")
    groupchat(alice, room, "marker")
    await alice.expect("alice's reflected marker", message_from(f"{room}/alice", "groupchat", "marker"))
    check(not alice.pending(message_from(f"{room}/bob", "groupchat")), "the visitor's message was broadcast")

    step("moderator grants voice")
    await iq_ok("grant voice", admin_set(alice, room, nick="bob", role="participant"))
    upd = await bob.expect("voice presence", presence_from(f"{room}/bob", code=110))
    check(item_attr(upd, "role") == "participant", f"bob's role after grant is {item_attr(upd, 'role')}")
    seen = await alice.expect("bob's voice presence", presence_from(f"{room}/bob"))
    check(item_attr(seen, "role") == "participant", f"alice sees bob as {item_attr(seen, 'role')}")
    groupchat(bob, room, "thanks")
    await alice.expect("bob's message", message_from(f"{room}/bob", "groupchat", "thanks"))

    step("moderator revokes voice")
    await iq_ok("revoke voice", admin_set(alice, room, nick="bob", role="visitor"))
    upd = await bob.expect("revocation presence", presence_from(f"{room}/bob", code=110))
    check(item_attr(upd, "role") == "visitor", f"bob's role after revocation is {item_attr(upd, 'role')}")
    await alice.expect("bob's revocation presence", presence_from(f"{room}/bob"))

    if NS_REQUEST not in features:
        return
    step("voice request and approval")
    bob["xep_0045"].request_voice(JID(room), "participant")
    req = await alice.expect("voice request form", message_from(room, child=f"{{{NS_DATA}}}x"))
    form = req.xml.find(f"{{{NS_DATA}}}x")
    values = {f.get("var"): f.findtext(f"{{{NS_DATA}}}value") for f in form.findall(f"{{{NS_DATA}}}field")}
    check(values.get("FORM_TYPE") == NS_REQUEST, f"voice request FORM_TYPE {values.get('FORM_TYPE')}")
    check(values.get("muc#roomnick") == "bob", f"voice request names {values.get('muc#roomnick')}")
    msg = alice.make_message(mto=room)
    x = ET.SubElement(msg.xml, f"{{{NS_DATA}}}x", {"type": "submit"})
    values["muc#role"] = "participant"
    values["muc#request_allow"] = "true"
    for var, value in values.items():
        if value is not None:
            field = ET.SubElement(x, f"{{{NS_DATA}}}field", {"var": var})
            ET.SubElement(field, f"{{{NS_DATA}}}value").text = value
    msg.send()
    upd = await bob.expect("approved voice presence", presence_from(f"{room}/bob", code=110))
    check(item_attr(upd, "role") == "participant", f"bob's role after approval is {item_attr(upd, 'role')}")


@scenario
async def history(alice, bob, carol, dave):
    room = new_room("history")
    await create_room(alice, room, "alice", {"roomname": "History", "persistentroom": False})
    with_sid = await sid_advertised(alice, room)

    step("alice talks to the empty room")
    for text in ("h1", "h2", "h3"):
        groupchat(alice, room, text)
        echo = await alice.expect(f"reflection of {text}", message_from(f"{room}/alice", "groupchat", text))
        if with_sid:
            check_stanza_id(echo, room)

    step("bob joins and gets the history")
    own = await join(bob, room, "bob")
    subject = await bob.expect("room subject", is_subject(room))
    got = [st for st in bob.pending(message_from(room, "groupchat")) if body(st) is not None]
    check([body(st) for st in got] == ["h1", "h2", "h3"], f"history bodies {[body(st) for st in got]}")
    now = datetime.now(timezone.utc)
    for st in got:
        check(st["from"] == JID(f"{room}/alice"), f"history message from {st['from']}")
        check(bob.order(own) < bob.order(st) < bob.order(subject),
              "history not between self-presence and subject")
        delay = st.xml.find(f"{{{NS_DELAY}}}delay")
        check(delay is not None, f"history message without XEP-0203 delay: {describe(st)}")
        check(delay.get("from") == room, f"delay from={delay.get('from')}, expected the room JID")
        stamp = datetime.fromisoformat(delay.get("stamp", "").replace("Z", "+00:00"))
        check(abs((now - stamp).total_seconds()) < 300, f"delay stamp {delay.get('stamp')} is not recent")
    bob.inbox.clear()

    step("carol asks for one stanza of history")
    await join(carol, room, "carol", maxstanzas=1)
    await carol.expect("room subject", is_subject(room))
    got = [body(st) for st in carol.pending(message_from(room, "groupchat")) if body(st) is not None]
    check(got == ["h3"], f"maxstanzas=1 gave {got}")

    step("dave asks for no history")
    await join(dave, room, "dave", maxstanzas=0)
    await dave.expect("room subject", is_subject(room))
    got = [body(st) for st in dave.pending(message_from(room, "groupchat")) if body(st) is not None]
    check(got == [], f"maxstanzas=0 gave {got}")

    step("live message")
    groupchat(bob, room, "live")
    live = await carol.expect("bob's live message", message_from(f"{room}/bob", "groupchat", "live"))
    check(live.xml.find(f"{{{NS_DELAY}}}delay") is None, "live message carries a delay")
    if with_sid:
        check_stanza_id(live, room)


@scenario
async def nick_change(alice, bob, carol, dave):
    room = new_room("nick-change")
    await create_room(alice, room, "alice", {"roomname": "Nicks", "persistentroom": False})
    await join(bob, room, "bob")
    await alice.expect("bob's join presence", presence_from(f"{room}/bob"))

    step("bob becomes robert")
    bob.send_presence(pto=f"{room}/robert")
    old = await bob.expect("unavailable for the old nick", presence_from(f"{room}/bob", "unavailable"))
    check({110, 303} <= codes(old), f"bob's nick-change codes {sorted(codes(old))}, expected 110 and 303")
    check(item_attr(old, "nick") == "robert", f"nick-change item nick is {item_attr(old, 'nick')}")
    new = await bob.expect("presence for the new nick", presence_from(f"{room}/robert", code=110))
    check(bob.order(old) < bob.order(new), "new-nick presence arrived before the 303")
    old = await alice.expect("303 for bob", presence_from(f"{room}/bob", "unavailable", 303))
    check(110 not in codes(old) and item_attr(old, "nick") == "robert", f"alice got {describe(old)}")
    new = await alice.expect("robert's presence", presence_from(f"{room}/robert"))
    check(alice.order(old) < alice.order(new), "alice saw robert before bob left")

    step("join with a nick in use")
    await join(carol, room, "robert", error="conflict")
    step("change to a nick in use")
    await join(carol, room, "carol")
    carol.send_presence(pto=f"{room}/alice")
    err = await carol.expect("nick conflict", presence_from(room, "error"))
    check(condition(err) == "conflict", f"nick change to 'alice' refused with <{condition(err)}/>")

    step("messages come from the new nick")
    groupchat(bob, room, "call me robert")
    await carol.expect("robert's message", message_from(f"{room}/robert", "groupchat", "call me robert"))
    await alice.expect("robert's message", message_from(f"{room}/robert", "groupchat", "call me robert"))


@scenario
async def private_message(alice, bob, carol, dave):
    room = new_room("private-message")
    await create_room(alice, room, "alice", {"roomname": "Private", "persistentroom": False})
    await join(bob, room, "bob")
    await join(carol, room, "carol")

    step("bob whispers to carol")
    bob.send_message(mto=f"{room}/carol", mbody="psst", mtype="chat")
    pm = await carol.expect("private message", message_from(f"{room}/bob", "chat", "psst"))
    check(pm["to"] == carol.boundjid, f"private message addressed to {pm['to']}")
    step("carol answers")
    carol.send_message(mto=f"{room}/bob", mbody="what?", mtype="chat")
    await bob.expect("private reply", message_from(f"{room}/carol", "chat", "what?"))

    step("PM to a missing nick")
    bob.send_message(mto=f"{room}/nobody", mbody="hello?", mtype="chat")
    err = await bob.expect("error for missing nick", message_from(f"{room}/nobody", "error"))
    check(condition(err) == "item-not-found", f"PM to missing nick refused with <{condition(err)}/>")
    step("groupchat-typed PM")
    bob.send_message(mto=f"{room}/carol", mbody="public?", mtype="groupchat")
    err = await bob.expect("error for groupchat PM", message_from(f"{room}/carol", "error"))
    check(condition(err) == "bad-request", f"groupchat PM refused with <{condition(err)}/>, expected bad-request")
    step("PM from a non-occupant")
    dave.send_message(mto=f"{room}/carol", mbody="hi from outside", mtype="chat")
    err = await dave.expect("error for outsider PM", message_from(f"{room}/carol", "error"))
    check(condition(err) == "not-acceptable", f"outsider PM refused with <{condition(err)}/>, expected not-acceptable")
    check(not carol.pending(lambda st: body(st) == "hi from outside"), "outsider PM was delivered")


@scenario
async def invite(alice, bob, carol, dave):
    room = new_room("invite")
    await create_room(alice, room, "alice", {"roomname": "Invite", "persistentroom": False})

    step("mediated invitation")
    alice["xep_0045"].invite(JID(room), bob.boundjid.bare, "join us")
    inv = await bob.expect("invitation from the room", message_from(room, child=f"{{{NS_USER}}}x/{{{NS_USER}}}invite"))
    check(not inv["from"].resource, f"invitation not from the room's bare JID: {inv['from']}")
    el = inv.xml.find(f"{{{NS_USER}}}x/{{{NS_USER}}}invite")
    inviter = JID(el.get("from") or "")
    check(inviter.bare == alice.boundjid.bare or inviter == JID(f"{room}/alice"),
          f"invite from={el.get('from')}, expected alice's JID or occupant JID")
    check(el.findtext(f"{{{NS_USER}}}reason") == "join us", f"invite reason {el.findtext(f'{{{NS_USER}}}reason')!r}")

    step("bob declines")
    bob["xep_0045"].decline(JID(room), alice.boundjid.bare, "busy")
    dec = await alice.expect("decline from the room", message_from(room, child=f"{{{NS_USER}}}x/{{{NS_USER}}}decline"))
    el = dec.xml.find(f"{{{NS_USER}}}x/{{{NS_USER}}}decline")
    check(JID(el.get("from") or "").bare == bob.boundjid.bare, f"decline from={el.get('from')}, expected bob")
    check(el.findtext(f"{{{NS_USER}}}reason") == "busy", f"decline reason {el.findtext(f'{{{NS_USER}}}reason')!r}")

    step("direct invitation (XEP-0249)")
    alice["xep_0249"].send_invitation(carol.boundjid.bare, JID(room), reason="come")
    inv = await carol.expect("direct invitation", message_from(alice.boundjid, child=f"{{{NS_CONFERENCE}}}x"))
    x = inv.xml.find(f"{{{NS_CONFERENCE}}}x")
    check(JID(x.get("jid") or "") == JID(room), f"direct invitation names {x.get('jid')}")
    await join(carol, room, "carol")


@scenario
async def destroy(alice, bob, carol, dave):
    room = new_room("destroy")
    alt = new_room("destroy-alt")
    await create_room(alice, room, "alice", {"roomname": "Destroy", "persistentroom": True})
    await join(bob, room, "bob")

    def destroy_query(reason):
        query = ET.Element(f"{{{NS_OWNER}}}query")
        d = ET.SubElement(query, f"{{{NS_OWNER}}}destroy", {"jid": alt})
        ET.SubElement(d, f"{{{NS_OWNER}}}reason").text = reason
        return query

    step("non-owner destroys")
    await expect_iq_error("bob destroying", send_iq(bob, room, "set", destroy_query("mine now")), "forbidden")
    step("owner destroys")
    await iq_ok("destroy", send_iq(alice, room, "set", destroy_query("moving")))
    for c, nick in ((bob, "bob"), (alice, "alice")):
        out = await c.expect("destroy presence", presence_from(f"{room}/{nick}", "unavailable"))
        d = x_user(out).find(f"{{{NS_USER}}}destroy") if x_user(out) is not None else None
        check(d is not None, f"{c.user}'s removal lacks <destroy/>: {describe(out)}")
        check(JID(d.get("jid") or "") == JID(alt), f"destroy jid={d.get('jid')}, expected {alt}")
        check(d.findtext(f"{{{NS_USER}}}reason") == "moving", f"destroy reason {d.findtext(f'{{{NS_USER}}}reason')!r}")
        check(item_attr(out, "role") == "none", f"{c.user}'s role after destroy is {item_attr(out, 'role')}")
    step("destroyed room is gone")
    # §10.9 lets a service remember a destroyed room (lock its name, redirect to the
    # alternate venue), so RFC 6120 <gone/> is as valid as <item-not-found/>.
    try:
        features, _ = await disco_info(carol, room)
        raise Fail(f"destroyed room still answers disco#info: {sorted(features)}")
    except IqError as e:
        cond = e.iq["error"]["condition"]
        check(cond in ("item-not-found", "gone"), f"destroyed room answers <{cond}/>, expected item-not-found or gone")


# ---- driver ------------------------------------------------------------------------------

async def login(user):
    c = Client(user)
    c.connect((HOST, PORT), force_starttls=True)
    try:
        await asyncio.wait_for(c.ready.wait(), TIMEOUT)
    except asyncio.TimeoutError:
        raise Fail(f"{user} did not log in within {TIMEOUT}s")
    check(not c.auth_failed, f"{user} failed to authenticate")
    return c


async def main():
    names = list(SCENARIOS) if SCENARIO == "all" else [SCENARIO]
    if SCENARIO != "all" and SCENARIO not in SCENARIOS:
        print(f"unknown scenario {SCENARIO}; one of: {', '.join(SCENARIOS)}, all")
        return 2
    clients = []
    current = SCENARIO
    try:
        step("login")
        for user in ("alice", "bob", "carol", "dave"):
            clients.append(await login(user))
        for name in names:
            current = name
            for c in clients:
                c.inbox.clear()
            await SCENARIOS[name](*clients)
            print(f"OK {name}", flush=True)
        return 0
    except Exception as e:  # report the scenario and step that failed
        reason = str(e) if isinstance(e, Fail) else repr(e)
        print(f"FAILED {current}: {Step.current}: {reason}", flush=True)
        return 1
    finally:
        for c in clients:
            c.disconnect()
        await asyncio.sleep(0.2)


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    sys.exit(asyncio.run(main()))
