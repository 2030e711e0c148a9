#!/usr/bin/env python3
"""Markdown comparison table from run-peers.sh's JSON lines (one per scenario run, tagged with
"server"). Repeated runs of one scenario show every value, " / " separated, so the spread is
visible instead of averaged away."""
import json
import sys


def load(path):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    return runs


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main():
    runs = load(sys.argv[1])
    servers = list(dict.fromkeys(r["server"] for r in runs))

    def values(server, scenario, key, where=None):
        out = []
        for r in runs:
            if r["server"] != server or r.get("scenario") != scenario:
                continue
            if where and any(r.get(k) != v for k, v in where.items()):
                continue
            out.append(fmt(r.get(key)) if "error" not in r else "error")
        return " / ".join(out) if out else "–"

    storm_sizes = sorted({r["users"] for r in runs if r.get("scenario") == "join-storm" and "users" in r})
    rows = [
        ("Login: logins/s", "login", "logins_per_s", None),
        ("Login: server CPU ms per login", "login", "server_cpu_ms_per_login", None),
        ("Login: tool CPU s", "login", "tool_cpu_s", None),
        ("Idle: connections held", "idle-connections", "users", None),
        ("Idle: server RSS KB per connection", "idle-connections", "server_rss_per_conn_kb", None),
        ("Idle: server RSS KB at the end", "idle-connections", "server_rss_after_kb", None),
        ("Idle: server CPU ms per login (10k logins)", "idle-connections", "server_cpu_ms_per_login", None),
        ("Idle: server CPU s while idle", "idle-connections", "server_cpu_s_while_idle", None),
        ("Fan-out: highest sustained rate per occupant (msg/s)", "muc-fanout", "highest_sustained_rate_per_occupant", None),
        ("Fan-out: deliveries/s at that rate", "muc-fanout", "highest_sustained_delivered_per_s", None),
        ("Fan-out: server µs CPU per delivery at that rate (first step if none held)", "muc-fanout", "server_cpu_us_per_delivered", None),
        ("Fan-out: p50 / p99 / max ms at that rate (first step if none held)", "muc-fanout", "_lat", None),
        ("Fan-out: first step that broke, and why", "muc-fanout", "_break", None),
        ("Fan-out: tool CPU s (all steps)", "muc-fanout", "tool_cpu_s", None),
    ]
    for n in storm_sizes:
        rows += [
            (f"Join storm {n}: seconds until all joined (– = not within the join timeout)", "join-storm", "all_joined_seconds", {"users": n}),
            (f"Join storm {n}: joiners with their self-presence", "join-storm", "joined", {"users": n}),
            (f"Join storm {n}: server CPU s", "join-storm", "server_cpu_s", {"users": n}),
            (f"Join storm {n}: stanzas delivered", "join-storm", "stanzas_received_total", {"users": n}),
            (f"Join storm {n}: tool CPU s", "join-storm", "tool_cpu_s", {"users": n}),
        ]

    print()
    print("| Figure | " + " | ".join(servers) + " |")
    print("|---|" + "---|" * len(servers))
    for label, scenario, key, where in rows:
        cells = []
        for s in servers:
            if key == "_lat":
                cells.append(" / ".join(
                    f"{fmt(r.get('latency_ms_p50'))} / {fmt(r.get('latency_ms_p99'))} / {fmt(r.get('latency_ms_max'))}"
                    for r in runs if r["server"] == s and r.get("scenario") == scenario and "error" not in r) or "–")
            elif key == "_break":
                parts = []
                for r in runs:
                    if r["server"] != s or r.get("scenario") != scenario or "error" in r:
                        continue
                    broken = next((st for st in r.get("steps", []) if st.get("rate_per_occupant") not in (None,) and
                                   st["rate_per_occupant"] > (r.get("highest_sustained_rate_per_occupant") or 0)), None)
                    if broken is None:
                        parts.append("none")
                    else:
                        parts.append(f"{fmt(broken['rate_per_occupant'])}/s: {r.get('break_reason')} "
                                     f"(p99 {fmt(broken.get('latency_ms_p99'))} ms, loss {fmt(broken.get('loss'))}, "
                                     f"{fmt(broken.get('server_cpu_us_per_delivered'))} µs/delivery)")
                cells.append(" / ".join(parts) or "–")
            else:
                cells.append(values(s, scenario, key, where))
        print(f"| {label} | " + " | ".join(cells) + " |")
    errors = [r for r in runs if "error" in r]
    if errors:
        print()
        print("Errors:")
        for r in errors:
            print(f"- {r['server']} {r.get('scenario')}: {r['error']}")


if __name__ == "__main__":
    main()
