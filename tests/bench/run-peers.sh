#!/usr/bin/env bash
# Runs the same xmppconf-load scenarios against XmppConf, Prosody and ejabberd, one server after
# the other (never at once), each on a free 127.0.0.1 port as the current user with a throw-away
# config and data directory (never the system service), and writes a markdown comparison table
# plus the raw JSON lines to a results file.
#
#   tests/bench/run-peers.sh                       # all three, sizes below
#   SERVERS=xmppconf tests/bench/run-peers.sh      # only XmppConf (e.g. after a server change)
#   INSTALL_PEERS=1 tests/bench/run-peers.sh       # apt-get install prosody ejabberd first (root)
#
# Prosody and ejabberd come from Debian packages and are only installed when INSTALL_PEERS=1;
# nothing in CI calls this script. Sizes (environment):
#   LOGIN_USERS (1000)  IDLE_USERS (10000)  IDLE_SECONDS (10)
#   ROOMS (5)  ROOM_USERS (20)  RATE_STEPS ("1,2,5,10,20,40,80,160")  STEP_SECONDS (10)
#   MAX_P99_MS ("5 50": one muc-fanout run per p99 bound, the loose one finds throughput)  MAX_LOSS (0)  STORM_SIZES ("500 1000")  JOIN_TIMEOUT (300) s  REPEAT (1) runs of each scenario
#   SOURCE_ADDRESSES ("127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4") to spread ephemeral ports
#   SCENARIOS ("login idle-connections muc-fanout join-storm") to run only some
#   OUT (tests/bench/results/peers-DATE.md)
#   NICE (0): nice level for the server and the load tool (not the builds); on a machine shared
#     with other work, NICE=-10 as root keeps their CPU from leaking into the latencies.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SERVERS=${SERVERS:-"xmppconf prosody ejabberd"}
LOGIN_USERS=${LOGIN_USERS:-1000}
IDLE_USERS=${IDLE_USERS:-10000}
IDLE_SECONDS=${IDLE_SECONDS:-10}
ROOMS=${ROOMS:-5}
ROOM_USERS=${ROOM_USERS:-20}
RATE_STEPS=${RATE_STEPS:-1,2,5,10,20,40,80,160}
STEP_SECONDS=${STEP_SECONDS:-10}
MAX_P99_MS=${MAX_P99_MS:-"5 50"}
MAX_LOSS=${MAX_LOSS:-0}
STORM_SIZES=${STORM_SIZES:-"500 1000"}
JOIN_TIMEOUT=${JOIN_TIMEOUT:-300}
REPEAT=${REPEAT:-1}
SCENARIOS=${SCENARIOS:-"login idle-connections muc-fanout join-storm"}
wanted() { [[ " $SCENARIOS " == *" $1 "* ]]; }
NICE=${NICE:-0}
SOURCE_ADDRESSES=${SOURCE_ADDRESSES:-127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4}
DOMAIN=localhost
PASSWORD=pw
mkdir -p tests/bench/results
OUT=${OUT:-tests/bench/results/peers-$(date -u +%Y%m%d-%H%M).md}

if [[ "${INSTALL_PEERS:-0}" == 1 ]]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q prosody ejabberd >&2
fi

# Every account the chosen scenarios need: user0..user(ACCOUNTS-1).
ACCOUNTS=2
wanted login && (( LOGIN_USERS > ACCOUNTS )) && ACCOUNTS=$LOGIN_USERS
wanted idle-connections && (( IDLE_USERS > ACCOUNTS )) && ACCOUNTS=$IDLE_USERS
wanted muc-fanout && (( ROOMS * ROOM_USERS > ACCOUNTS )) && ACCOUNTS=$((ROOMS * ROOM_USERS))
if wanted join-storm; then for n in $STORM_SIZES; do (( n > ACCOUNTS )) && ACCOUNTS=$n; done; fi
# Ten thousand sockets on each side, plus the server's own files.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < IDLE_USERS + 1000 )); then
  echo "ulimit -n is $(ulimit -n), below IDLE_USERS+1000; lower IDLE_USERS or raise the hard limit" >&2
  exit 2
fi

dotnet build src/XmppConf.Server -c Release -v q -nologo >&2
dotnet build src/XmppConf.Load -c Release -v q -nologo >&2
XMPPCONF_DLL=$ROOT/src/XmppConf.Server/bin/Release/net10.0/xmppconf.dll
LOAD=(nice -n "$NICE" dotnet "$ROOT/src/XmppConf.Load/bin/Release/net10.0/xmppconf-load.dll")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

PID=""
WORK=""
stop_server() {
  if [[ -n "$PID" ]]; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
  fi
  [[ -n "$WORK" ]] && rm -rf "$WORK"
  WORK=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# ---- XmppConf -------------------------------------------------------------------------------
start_xmppconf() {
  local settings=(--Server:Domain=$DOMAIN --Server:C2sPort="$PORT" --Server:DirectTlsPort=0 --Server:BindAddress=127.0.0.1
    --Tls:RequireStartTls=false --Tls:AllowPlainWithoutTls=true --Server:DataDirectory="$WORK"
    --Muc:MaxUsersLimit=2000 --Muc:DefaultMaxUsers=2000 --Logging:LogLevel:Default=Warning --Logging:LogLevel:XmppConf=Warning
    # All load comes from a handful of loopback addresses: lift the per-address limits, the
    # SASL-failure ban, inbound shaping and the room flood limits (still on, so still measured).
    --Limits:MaxConnectionsPerIp=1000000 --Limits:MaxConnectionAttemptsPerIpPerMinute=100000000
    --Limits:InboundBytesPerSecond=1073741824 --Limits:InboundBurstBytes=1073741824
    --Auth:FailedAuthBanThreshold=1000000
    --Muc:OccupantMessagesPerSecond=1000000 --Muc:OccupantMessageBurst=1000000
    --Muc:OccupantPresencesPerSecond=1000000 --Muc:OccupantPresenceBurst=1000000
    --Muc:RoomMessagesPerSecond=1000000 --Muc:RoomPresencesPerSecond=1000000)
  local t0=$SECONDS
  echo "$PASSWORD" | dotnet "$XMPPCONF_DLL" user add-many user "$ACCOUNTS" "${settings[@]}" >&2
  ACCOUNT_SECONDS=$((SECONDS - t0))
  nice -n "$NICE" dotnet "$XMPPCONF_DLL" "${settings[@]}" >"$WORK/server.log" 2>&1 &
  PID=$!
  wait_port "$PORT" "$PID"
  VERSION="XmppConf $(git -C "$ROOT" rev-parse --short HEAD)"
}

# ---- Prosody --------------------------------------------------------------------------------
start_prosody() {
  mkdir -p "$WORK/data"
  cat >"$WORK/prosody.cfg.lua" <<EOF
-- Benchmark instance: loopback only, no TLS, in-band registration for bulk account creation.
run_as_root = true
daemonize = false
pidfile = "$WORK/prosody.pid"
data_path = "$WORK/data"
log = { { levels = { min = "warn" }, to = "file", filename = "$WORK/prosody.log" } }
interfaces = { "127.0.0.1" }
c2s_ports = { $PORT }
s2s_ports = { }
component_ports = { }
http_ports = { }
https_ports = { }
c2s_direct_tls_ports = { }
network_backend = "epoll"
-- server_epoll leaves Nagle on by default, which adds ~40 ms (delayed ACK) to small relayed
-- stanzas; XmppConf and ejabberd set TCP_NODELAY, so Prosody gets it too.
network_settings = { nagle = false }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
-- Same PBKDF2 cost as XmppConf and ejabberd (Prosody's default is 10000).
default_iteration_count = 4096
allow_registration = true
-- mod_register_limits exempts 127.0.0.1 by default; no throttle for the set-up either way.
registration_throttle_max = 1000000
registration_throttle_period = 1
-- Defaults: c2s_timeout 300 s only for unauthenticated streams; no mod_limits (no rate limit).
modules_enabled = { "roster", "saslauth", "disco", "ping", "register", "presence", "message", "iq" }
modules_disabled = { "s2s", "tls" }
VirtualHost "$DOMAIN"
Component "conference.$DOMAIN" "muc"
  -- Anyone may create rooms (restrict_room_creation default false); no occupant cap in 0.12.
  muc_room_locking = true
  muc_tombstones = false
  muc_room_cache_size = 1000
EOF
  # Lua runs the 'prosody' script itself, so $! is the server process.
  nice -n "$NICE" prosody -F --config "$WORK/prosody.cfg.lua" >"$WORK/stdout.log" 2>&1 &
  PID=$!
  wait_port "$PORT" "$PID" || { cat "$WORK"/*.log >&2; return 1; }
  register_accounts
  VERSION="Prosody $(dpkg-query -W -f '${Version}' prosody)"
}

# ---- ejabberd -------------------------------------------------------------------------------
start_ejabberd() {
  mkdir -p "$WORK/spool" "$WORK/logs"
  cat >"$WORK/ejabberd.yml" <<EOF
# Benchmark instance: loopback only, no TLS, in-band registration for bulk account creation.
hosts: ["$DOMAIN"]
loglevel: warning
certfiles: []
auth_method: internal
# Stored SCRAM keys like XmppConf and Prosody (ejabberd's default "plain" derives keys per login).
auth_password_format: scram
auth_scram_hash: sha
# Default 600 s between registrations from one address.
registration_timeout: infinity
shaper: {}
shaper_rules: {}
acl: {}
access_rules:
  c2s: { allow: all }
  register: { allow: all }
  muc_create: { allow: all }
listen:
  - port: $PORT
    ip: "127.0.0.1"
    module: ejabberd_c2s
    # Default example config puts c2s behind a 1000 B/s "normal" shaper.
    shaper: none
    access: c2s
    starttls: false
    max_stanza_size: 262144
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_register:
    access: register
    ip_access: all
    password_strength: 0
  mod_muc:
    host: "conference.$DOMAIN"
    access_create: muc_create
    # Defaults are 200 users per room and presence broadcast only up to 1000 occupants.
    max_users: 2000
    max_users_presence: 2000
    max_user_conferences: 100
    # Already 0 / none by default; stated so a reader sees no MUC rate limit applies.
    min_message_interval: 0
    min_presence_interval: 0
    room_shaper: none
    user_message_shaper: none
    user_presence_shaper: none
    default_room_options:
      persistent: false
      mam: false
      # The room's own cap (default 200) is what a join meets; the service max_users above only bounds it.
      max_users: 2000
EOF
  # Run the VM directly (what 'ejabberdctl foreground' does) so it runs as the current user, not
  # su'd to 'ejabberd', and $! is beam.smp (erl execs it).
  ERL_LIBS=/usr/lib/x86_64-linux-gnu EJABBERD_CONFIG_PATH="$WORK/ejabberd.yml" \
    EJABBERD_LOG_PATH="$WORK/logs/ejabberd.log" ERL_CRASH_DUMP="$WORK/logs/crash.dump" ERL_MAX_PORTS=65536 \
    HOME="$WORK" nice -n "$NICE" erl +K true +P 1000000 -noinput -noshell -mnesia dir "\"$WORK/spool\"" -s ejabberd \
    >"$WORK/stdout.log" 2>&1 &
  PID=$!
  wait_port "$PORT" "$PID" || { cat "$WORK"/stdout.log "$WORK"/logs/* >&2; return 1; }
  register_accounts
  VERSION="ejabberd $(dpkg-query -W -f '${Version}' ejabberd)"
}

register_accounts() {
  local t0=$SECONDS
  "${LOAD[@]}" --scenario register --users "$ACCOUNTS" --concurrency 20 "${COMMON[@]}" >&2
  ACCOUNT_SECONDS=$((SECONDS - t0))
}

# ---- one server, every scenario -------------------------------------------------------------
RAW=$(mktemp)
run() { # scenario args...: one JSON line, tagged with the server, to RAW and stderr
  local line
  line=$("${LOAD[@]}" "$@" "${COMMON[@]}" || true)
  line=${line:-'{"error":"no output"}'}
  echo "{\"server\":\"$VERSION\",${line#\{}" | tee -a "$RAW" >&2
  sleep 2 # let sockets and the server settle between scenarios
}

{
  echo "# XmppConf vs Prosody vs ejabberd ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); load tool on the same machine."
  echo "Server and tool at nice $NICE; load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Sizes: login $LOGIN_USERS, idle $IDLE_USERS for ${IDLE_SECONDS}s, muc-fanout $ROOMS rooms x $ROOM_USERS occupants at $RATE_STEPS msg/s per occupant (${STEP_SECONDS}s per step, sustained = loss <= $MAX_LOSS and p99 <= $MAX_P99_MS ms, one run per p99 bound, shown " / "), join-storm $STORM_SIZES, repeats $REPEAT."
} >"$OUT"

for server in $SERVERS; do
  WORK=$(mktemp -d)
  PORT=$(free_port)
  COMMON=(--host 127.0.0.1 --port "$PORT" --domain $DOMAIN --password $PASSWORD)
  echo "== $server on port $PORT ($WORK)" >&2
  "start_$server"
  COMMON+=(--server-pid "$PID")
  echo "$VERSION: $ACCOUNTS accounts created in ${ACCOUNT_SECONDS}s; load average $(cut -d' ' -f1-3 /proc/loadavg)." | tee -a "$OUT" >&2
  for ((r = 0; r < REPEAT; r++)); do
    wanted login && run --scenario login --users "$LOGIN_USERS"
    wanted idle-connections && run --scenario idle-connections --users "$IDLE_USERS" --duration "$IDLE_SECONDS" --source-addresses "$SOURCE_ADDRESSES"
    wanted muc-fanout && for p99 in $MAX_P99_MS; do
      run --scenario muc-fanout --rooms "$ROOMS" --users "$ROOM_USERS" --rate-steps "$RATE_STEPS" --duration "$STEP_SECONDS" \
        --max-p99-ms "$p99" --max-loss "$MAX_LOSS"
    done
    wanted join-storm && for n in $STORM_SIZES; do run --scenario join-storm --users "$n" --join-timeout "$JOIN_TIMEOUT"; done
  done
  stop_server
done

python3 "$ROOT/tests/bench/peers-table.py" "$RAW" >>"$OUT"
{
  echo
  echo "## Raw results"
  echo
  echo '```json'
  cat "$RAW"
  echo '```'
} >>"$OUT"
rm -f "$RAW"
echo "results: $OUT" >&2
