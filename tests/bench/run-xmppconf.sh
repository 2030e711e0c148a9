#!/usr/bin/env bash
# First-cut benchmark: builds Release, starts XmppConf on a free local port with a throw-away
# data directory, creates accounts user0..user(N-1) with password "pw", and runs each
# xmppconf-load scenario once at a small size, printing one JSON line per scenario.
# Sizes: USERS (200) LOGIN_USERS (=USERS) ROOMS (2) ROOM_USERS (20) RATE (5) DURATION (10) STORM_USERS (=USERS)
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=${USERS:-200}
LOGIN_USERS=${LOGIN_USERS:-$USERS}
ROOMS=${ROOMS:-2}
ROOM_USERS=${ROOM_USERS:-20}
RATE=${RATE:-5}
DURATION=${DURATION:-10}
STORM_USERS=${STORM_USERS:-$USERS}
IDLE_SECONDS=${IDLE_SECONDS:-5}

dotnet build src/XmppConf.Server -c Release -v q -nologo >&2
dotnet build src/XmppConf.Load -c Release -v q -nologo >&2
SERVER=src/XmppConf.Server/bin/Release/net10.0/xmppconf.dll
LOAD=src/XmppConf.Load/bin/Release/net10.0/xmppconf-load.dll

# muc-fanout sends RATE (up to 20) msg/s from every occupant on purpose: above the default
# per-user rate (Muc:OccupantMessagesPerSecond 5) and, at 20 occupants, the room's
# (Muc:RoomMessagesPerSecond 200). Raise them so the benchmark measures fan-out, not throttling;
# join-storm sends every entry at once, above the room's presence rate (Muc:RoomPresencesPerSecond 250).
# The limits stay on (not 0) so their per-message check is still in the measured path.
MUC_LIMITS=(--Muc:OccupantMessagesPerSecond=1000 --Muc:OccupantMessageBurst=1000
  --Muc:RoomMessagesPerSecond=1000000 --Muc:RoomPresencesPerSecond=1000000)

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SETTINGS=(--Server:Domain=localhost --Server:C2sPort="$PORT" --Server:DirectTlsPort=0
  --Tls:RequireStartTls=false --Tls:AllowPlainWithoutTls=true --Server:DataDirectory="$DATA"
  # XmppConf=Warning too: server.config.json sets the XmppConf category to Information, which
  # beats Default and would log two lines per login (~0.1 ms of server CPU each login).
  --Muc:DefaultMaxUsers=1000 --Logging:LogLevel:Default=Warning --Logging:LogLevel:XmppConf=Warning
  # Every load client comes from 127.0.0.1: lift the per-address limits and the traffic shaping.
  --Limits:MaxConnectionsPerIp=1000000 --Limits:MaxConnectionAttemptsPerIpPerMinute=100000000
  --Limits:InboundBytesPerSecond=1073741824 --Limits:InboundBurstBytes=1073741824
  --Auth:FailedAuthBanThreshold=1000000
  "${MUC_LIMITS[@]}")

NEED=$USERS
(( ROOMS * ROOM_USERS > NEED )) && NEED=$((ROOMS * ROOM_USERS))
echo "creating $NEED accounts in $DATA..." >&2
echo pw | dotnet "$SERVER" user add-many user "$NEED" "${SETTINGS[@]}" >&2

dotnet "$SERVER" "${SETTINGS[@]}" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
  sleep 0.1
done

COMMON=(--host 127.0.0.1 --port "$PORT" --domain localhost --server-pid "$PID" --password pw)
dotnet "$LOAD" --scenario login --users "$LOGIN_USERS" "${COMMON[@]}"
dotnet "$LOAD" --scenario idle --users "$USERS" --duration "$IDLE_SECONDS" "${COMMON[@]}"
dotnet "$LOAD" --scenario muc-fanout --rooms "$ROOMS" --users "$ROOM_USERS" --rate "$RATE" --duration "$DURATION" "${COMMON[@]}"
dotnet "$LOAD" --scenario join-storm --users "$STORM_USERS" "${COMMON[@]}"
