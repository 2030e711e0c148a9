#!/usr/bin/python3
"""Interop check driven by slixmpp (Debian's python3-slixmpp), a real third-party client.

Usage: slixmpp_im.py HOST PORT DOMAIN PASSWORD MECHANISM

Accounts alice, bob and carol must exist with PASSWORD. Steps, each asserted:
 1. alice and bob log in over STARTTLS with MECHANISM (a SCRAM variant);
 2. they subscribe to each other's presence and both see the other available;
 3. they exchange chat messages;
 4. alice sends carol (offline) a message; carol logs in and receives it with a XEP-0203 delay.
Prints "OK" and exits 0 on success; prints the failing step and exits 1 otherwise.
"""
import asyncio
import logging
import ssl
import sys

import slixmpp

HOST, PORT, DOMAIN, PASSWORD, MECH = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
TIMEOUT = 15


class Client(slixmpp.ClientXMPP):
    def __init__(self, user):
        super().__init__(f"{user}@{DOMAIN}/slix", PASSWORD)
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        self.register_plugin("xep_0203")
        self['feature_mechanisms'].use_mech = MECH
        # Self-signed test certificate: the fingerprint is what a user would check.
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self.auto_authorize = True
        self.auto_subscribe = True
        self.session_ready = asyncio.Event()
        self.messages = asyncio.Queue()
        self.available = {}
        self.mechanism_used = None
        self.add_event_handler("session_start", self._on_start)
        self.add_event_handler("message", lambda m: self.messages.put_nowait(m))
        self.add_event_handler("presence_available", self._on_available)
        self.add_event_handler("failed_auth", lambda *_: print(f"auth failed for {self.boundjid}", flush=True))

    async def _on_start(self, _):
        await self.get_roster()
        self.send_presence(pstatus="ready")
        self.session_ready.set()

    def _on_available(self, presence):
        bare = presence["from"].bare
        ev = self.available.setdefault(bare, asyncio.Event())
        ev.set()

    def saw_available(self, bare):
        return self.available.setdefault(bare, asyncio.Event())


async def start(user):
    client = Client(user)
    client.connect((HOST, PORT), force_starttls=True)
    await asyncio.wait_for(client.session_ready.wait(), TIMEOUT)
    if not client.authenticated:
        raise AssertionError(f"{user} not authenticated")
    return client


async def main():
    step = "login alice/bob"
    try:
        alice = await start("alice")
        bob = await start("bob")
        # The server refuses authentication before STARTTLS (Tls:RequireStartTls), so a login proves TLS.

        step = "mutual subscription"
        alice.send_presence_subscription(pto=f"bob@{DOMAIN}")
        await asyncio.wait_for(alice.saw_available(f"bob@{DOMAIN}").wait(), TIMEOUT)
        bob.send_presence_subscription(pto=f"alice@{DOMAIN}")
        await asyncio.wait_for(bob.saw_available(f"alice@{DOMAIN}").wait(), TIMEOUT)
        await asyncio.sleep(0.3)
        sub_alice = alice.client_roster[f"bob@{DOMAIN}"]["subscription"]
        sub_bob = bob.client_roster[f"alice@{DOMAIN}"]["subscription"]
        if sub_alice != "both" or sub_bob != "both":
            raise AssertionError(f"subscriptions alice->bob={sub_alice} bob->alice={sub_bob}, expected both")

        step = "chat"
        alice.send_message(mto=f"bob@{DOMAIN}", mbody="hello bob", mtype="chat")
        msg = await asyncio.wait_for(bob.messages.get(), TIMEOUT)
        if msg["body"] != "hello bob" or msg["from"].bare != f"alice@{DOMAIN}":
            raise AssertionError(f"bob got {msg}")
        bob.send_message(mto=msg["from"], mbody="hi alice ✓", mtype="chat")
        reply = await asyncio.wait_for(alice.messages.get(), TIMEOUT)
        if reply["body"] != "hi alice ✓":
            raise AssertionError(f"alice got {reply}")

        step = "offline message"
        alice.send_message(mto=f"carol@{DOMAIN}", mbody="for later", mtype="chat")
        await alice['xep_0199'].ping(jid=DOMAIN, timeout=TIMEOUT)
        carol = await start("carol")
        offline = await asyncio.wait_for(carol.messages.get(), TIMEOUT)
        if offline["body"] != "for later":
            raise AssertionError(f"carol got {offline}")
        if not offline["delay"]["stamp"]:
            raise AssertionError(f"no delay on offline message: {offline}")

        for c in (alice, bob, carol):
            c.disconnect()
        print("OK", flush=True)
        return 0
    except Exception as e:  # report the step that failed
        print(f"FAILED at {step}: {e!r}", flush=True)
        return 1


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    sys.exit(asyncio.run(main()))
