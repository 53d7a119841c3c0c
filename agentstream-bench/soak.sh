#!/usr/bin/env bash
# Soak: the built server (its jar, on the offline demo model) under mixed load for a while, then a
# check that nothing leaked. A fixed number of clients take turns: whole answers, stops through the
# cancel route, disconnects mid-answer, disconnect-then-resume with Last-Event-ID, pause for approval
# then continue, and bad requests that must get a 4xx with the JSON error body. Figures (heap after a
# full GC, live threads, open files, connections on the server port, store pool use, runs left
# RUNNING, runs stored vs runs started) are taken at rest after a warm-up and at rest after the load;
# the thresholds are in dev.agentstream.bench.load.LeakCheck and docs/RELIABILITY.md ("Soak").
#
#   agentstream-bench/soak.sh [--duration 30m] [--warmup 2m] [--clients 12] [--postgres]
#                             [--run-retention 5s] [--keep]
#
# --duration: how long the load runs (500ms/60s/5m/1h; default 30m); --warmup: load before the start
# figures (default a tenth of the duration, 10 s to 2 m); --postgres: store in a fresh schema of the
# PostgreSQL at 127.0.0.1:5432 (db test, user postgres) instead of a new SQLite file;
# --run-retention: the server's AGENTSTREAM_RUN_RETENTION (default 5s, see below; with the server's
# own default, 10m, the ended runs it keeps show as heap growth).
# Exits 1 when anything leaked or was lost. Every process it starts is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bin/java-home.sh

DURATION=30m
WARMUP=
CLIENTS=12
POSTGRES=false
RETENTION=5s
KEEP=false
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --postgres) POSTGRES=true ;;
    --run-retention) RETENTION="$2"; shift ;;
    --keep) KEEP=true ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

. agentstream-bench/bench-lib.sh
build_if_needed

WORK=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM

if $POSTGRES; then
  fresh_schema
  DB=$FRESH_DB
else
  DB="jdbc:sqlite:$WORK/soak.db"
fi

PORT=$(bench_java dev.agentstream.bench.load.FreePort)
# The per-user cap is raised so that runs a client left behind (a disconnect is noticed within a
# second) never turn its next request into a 429; the load itself stays at CLIENTS runs at a time.
# Ended runs stay in memory for the run retention (10 minutes by default, a few KiB each): 5 s unless
# asked otherwise, so that at rest every ended run is gone from memory and what the heap still holds
# is a leak.
AGENTSTREAM_PORT=$PORT AGENTSTREAM_DB=$DB AGENTSTREAM_MODEL=demo AGENTSTREAM_DEMO_DELAY_MS=20 \
  AGENTSTREAM_MAX_RUNS_PER_USER=200 AGENTSTREAM_RUN_RETENTION=$RETENTION \
  java -Xmx256m ${SOAK_SERVER_OPTS:-} -jar "$SERVER_JAR" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_port "$PORT" "$SERVER_PID" "$WORK/server.log"
echo "server pid $SERVER_PID on port $PORT, $(echo "$DB" | sed 's/?.*//'); $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"

ARGS=(--url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" --db "$DB" --duration "$DURATION" --clients "$CLIENTS"
      --clk-tck "$(getconf CLK_TCK)")
[ -n "$WARMUP" ] && ARGS+=(--warmup "$WARMUP")
STATUS=0
# The server jar is on the class path for its JDBC drivers (to count stored runs); quiet its logging setup.
java -Xmx256m -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  --enable-native-access=ALL-UNNAMED -cp "$CLASSES:$SERVER_JAR" dev.agentstream.bench.load.SoakLoad "${ARGS[@]}" || STATUS=$?

ERRORS=$(grep -c ' ERROR ' "$WORK/server.log" || true)
echo "server log: $ERRORS ERROR lines"
if [ "$STATUS" -ne 0 ]; then
  KEEP=true
  echo "soak: FAILED (server log and database in $WORK)"
fi
exit "$STATUS"
