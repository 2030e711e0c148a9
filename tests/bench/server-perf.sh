#!/usr/bin/env bash
# Server-side performance runs (docs/benchmarks-profiling.md): one warm XmppConf, many accounts made
# in a second (user0's SCRAM keys copied in SQLite, all passwords "pw"), each scenario repeated.
# Sizes: ACCOUNTS (11000) REPS (2) RATE (8, msg/s per occupant; 5 rooms x 20 occupants)
#        IDLE_USERS (10000) LOGIN_USERS (2000) STORMS ("500 500 1000")
# SKIP_LOGIN / SKIP_FANOUT / SKIP_IDLE / SKIP_STORM=1 leave a scenario out.
# PERF=1 records the server with `perf record -g` during one fan-out (needs linux-perf) into $OUT.
# Extra arguments go to the server (--Section:Key=value); the environment passes through
# (e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70 to compare a runtime knob).
set -euo pipefail
cd "$(dirname "$0")/../.."
ACCOUNTS=${ACCOUNTS:-11000}; REPS=${REPS:-2}; RATE=${RATE:-8}
IDLE_USERS=${IDLE_USERS:-10000}; LOGIN_USERS=${LOGIN_USERS:-2000}; STORMS=${STORMS:-500 500 1000}
OUT=${OUT:-$(mktemp -d)}
ulimit -n 20000 # 10k idle clients plus the server's own sockets, both processes on this machine

dotnet build src/XmppConf.Server -c Release -v q -nologo >&2
dotnet build src/XmppConf.Load -c Release -v q -nologo >&2
SERVER=$PWD/src/XmppConf.Server/bin/Release/net10.0/xmppconf.dll
LOAD=$PWD/src/XmppConf.Load/bin/Release/net10.0/xmppconf-load.dll

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SETTINGS=(--Server:Domain=localhost --Server:C2sPort="$PORT" --Server:DirectTlsPort=0
  --Tls:RequireStartTls=false --Tls:AllowPlainWithoutTls=true --Server:DataDirectory="$DATA"
  --Tls:SelfSignedPath="$DATA/cert.pfx" --Muc:DefaultMaxUsers=1000 --Logging:LogLevel:Default=Warning --Logging:LogLevel:XmppConf=Warning)
echo pw | dotnet "$SERVER" user add user0@localhost "${SETTINGS[@]}" >/dev/null
python3 - "$DATA/xmppconf.db" "$ACCOUNTS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
(created,) = db.execute("SELECT created_at FROM accounts WHERE bare_jid='user0@localhost'").fetchone()
keys = db.execute("SELECT hash, salt, iterations, stored_key, server_key FROM scram_keys WHERE bare_jid='user0@localhost'").fetchall()
for i in range(1, n):
    jid = f"user{i}@localhost"
    db.execute("INSERT INTO accounts VALUES (?, ?)", (jid, created))
    db.executemany("INSERT INTO scram_keys VALUES (?, ?, ?, ?, ?, ?)", [(jid, *k) for k in keys])
db.commit()
PY

[[ -n "${PERF:-}" ]] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 # JIT symbols for perf
dotnet "$SERVER" "${SETTINGS[@]}" "$@" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute
for _ in $(seq 150); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done

L=(dotnet "$LOAD" --host 127.0.0.1 --port "$PORT" --domain localhost --password pw --server-pid "$PID")
FANOUT=(--scenario muc-fanout --rooms 5 --users 20 --rate "$RATE")
# Warm-up: JIT tiering takes the first ~10k logins and a few fan-out seconds (see the doc).
"${L[@]}" --scenario login --users $((ACCOUNTS < 1000 ? ACCOUNTS : 1000)) >/dev/null 2>&1 || true
"${L[@]}" "${FANOUT[@]}" --duration 4 >/dev/null 2>&1 || true
if [[ -z "${SKIP_LOGIN:-}" ]]; then for _ in $(seq "$REPS"); do "${L[@]}" --scenario login --users "$LOGIN_USERS" 2>/dev/null; done; fi
if [[ -z "${SKIP_FANOUT:-}" ]]; then
  PERF_PID=
  if [[ -n "${PERF:-}" ]]; then (sleep 3; perf record -F 999 -g -p "$PID" -o "$OUT/fanout.perf" -- sleep 8 >/dev/null 2>&1) & PERF_PID=$!; fi
  for _ in $(seq "$REPS"); do "${L[@]}" "${FANOUT[@]}" --duration 10 2>/dev/null; done
  [[ -n "$PERF_PID" ]] && wait "$PERF_PID"
fi
if [[ -z "${SKIP_IDLE:-}" ]]; then "${L[@]}" --scenario idle --users "$IDLE_USERS" --duration 10 2>/dev/null; fi
if [[ -z "${SKIP_STORM:-}" ]]; then for u in $STORMS; do "${L[@]}" --scenario join-storm --users "$u" 2>/dev/null; done; fi
[[ -n "${PERF:-}" ]] && echo "perf data: $OUT/fanout.perf (perf report -i $OUT/fanout.perf --no-children --sort dso,sym)" >&2
true
