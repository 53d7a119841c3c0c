#!/usr/bin/env bash
# Concurrent-streams benchmark: agentstream against a raw byte proxy (and the Spring AI peer when its
# jar is built), all in front of the same fake OpenAI upstream, at several stream counts. Writes the
# tables into docs/BENCHMARKS.md between the streaming-bench marker comments.
#
#   agentstream-bench/streaming-bench.sh [--levels "200 500 1000"] [--targets "proxy agentstream spring"]
#                                        [--tokens 100] [--rate 10] [--no-write | --doc FILE] [--keep]
#   agentstream-bench/streaming-bench.sh --smoke   # 200 streams for ~10 s against agentstream; exits 1 if
#                                                  # a stream is incomplete or a token is over 1 s late
#
# Targets: proxy (raw byte proxy), agentstream (one node, SQLite), spring (the Spring AI peer),
# agentstream-pg (one node on PostgreSQL), two-nodes (two nodes sharing PostgreSQL and Redis, streams
# spread round-robin as by a load balancer without sticky sessions) and two-nodes-cross (the same,
# each run read on the node that does not execute it, and stopped there). The last three need
# PostgreSQL on 127.0.0.1:5432 (database test, user postgres) and Redis on 127.0.0.1:6379; each run
# gets a schema of its own, dropped at the end.
#
# Every process it starts is stopped on exit. Builds the server jar and the bench classes if missing
# or older than the sources.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bin/java-home.sh

LEVELS="200 500 1000 1500 2000 3000"
TARGETS="proxy agentstream spring"
TOKENS=100
RATE=10
WRITE=true
DOC=docs/BENCHMARKS.md
KEEP=false
SMOKE=false
COMMAND="agentstream-bench/streaming-bench.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=true ;;
    --levels) LEVELS="$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    --tokens) TOKENS="$2"; shift ;;
    --rate) RATE="$2"; shift ;;
    --no-write) WRITE=false ;;
    --doc) DOC="$2"; shift ;;
    --keep) KEEP=true ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
if $SMOKE; then
  LEVELS=200; TARGETS=agentstream; TOKENS=100; RATE=10; WRITE=false
fi

. agentstream-bench/bench-lib.sh
SPRING_JAR=agentstream-bench/peers/spring-ai/target/spring-ai-peer.jar
build_if_needed

WORK=$(mktemp -d "${TMPDIR:-/tmp}/streaming-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the fake upstream on a free port; sets UPSTREAM_PORT.
start_upstream() {
  java -Xmx1g -cp "$CLASSES" dev.agentstream.bench.load.FakeOpenAiUpstream --port-file "$WORK/upstream.port" \
    --tokens "$TOKENS" --rate "$RATE" >"$WORK/upstream.log" 2>&1 &
  PIDS+=($!)
  local _
  for _ in $(seq 1 120); do [ -s "$WORK/upstream.port" ] && break; sleep 0.25; done
  UPSTREAM_PORT=$(cat "$WORK/upstream.port")
  wait_port "$UPSTREAM_PORT" "${PIDS[-1]}" "$WORK/upstream.log"
}

REDIS_URL="redis://127.0.0.1:6379"

# Starts one agentstream node on $1 (port) with database $2 and extra environment $3...; logs to $WORK/node-$1.log.
start_node() {
  local port=$1 db=$2; shift 2
  env "$@" AGENTSTREAM_PORT="$port" AGENTSTREAM_DB="$db" AGENTSTREAM_MODEL=openai:bench \
    OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=bench \
    AGENTSTREAM_MAX_ACTIVE_RUNS=1000000 AGENTSTREAM_MAX_RUNS_PER_USER=1000000 \
    java -Xms2g -Xmx2g ${BENCH_SERVER_OPTS:-} -jar "$SERVER_JAR" >"$WORK/node-$port.log" 2>&1 &
}

# Starts target $1 fresh; sets TARGET_PIDS, TARGET_URLS (comma-separated), TARGET_PID and TARGET_PORT
# (the first node's), or returns 1 when the target is unavailable.
start_target() {
  local target=$1 log="$WORK/$1.log"
  TARGET_PORT=$(bench_java dev.agentstream.bench.load.FreePort)
  TARGET_URLS="http://127.0.0.1:$TARGET_PORT"
  case "$target" in
    agentstream-pg)
      fresh_schema
      start_node "$TARGET_PORT" "$FRESH_DB"
      log="$WORK/node-$TARGET_PORT.log" ;;
    two-nodes|two-nodes-cross)
      local db second run=$$
      fresh_schema
      db=$FRESH_DB
      second=$(bench_java dev.agentstream.bench.load.FreePort)
      start_node "$second" "$db" AGENTSTREAM_REDIS="$REDIS_URL" AGENTSTREAM_NODE_ID="bench-$run-b"
      PIDS+=($!)
      local second_pid=$!
      wait_port "$second" "$second_pid" "$WORK/node-$second.log"
      start_node "$TARGET_PORT" "$db" AGENTSTREAM_REDIS="$REDIS_URL" AGENTSTREAM_NODE_ID="bench-$run-a"
      TARGET_PID=$!
      PIDS+=("$TARGET_PID")
      wait_port "$TARGET_PORT" "$TARGET_PID" "$WORK/node-$TARGET_PORT.log"
      TARGET_PIDS="$TARGET_PID,$second_pid"
      TARGET_URLS="$TARGET_URLS,http://127.0.0.1:$second"
      return 0 ;;
    proxy)
      java -Xms2g -Xmx2g -cp "$CLASSES" dev.agentstream.bench.load.RawByteProxy --port "$TARGET_PORT" \
        --upstream "127.0.0.1:$UPSTREAM_PORT" >"$log" 2>&1 & ;;
    agentstream)
      AGENTSTREAM_PORT=$TARGET_PORT AGENTSTREAM_DB="jdbc:sqlite:$WORK/agentstream.db" AGENTSTREAM_MODEL=openai:bench \
        OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" OPENAI_API_KEY=bench \
        AGENTSTREAM_MAX_ACTIVE_RUNS=1000000 AGENTSTREAM_MAX_RUNS_PER_USER=1000000 \
        java -Xms2g -Xmx2g ${BENCH_SERVER_OPTS:-} -jar "$SERVER_JAR" >"$log" 2>&1 & ;;
    spring)
      [ -f "$SPRING_JAR" ] || return 1
      UPSTREAM_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT" \
        java -Xms2g -Xmx2g -jar "$SPRING_JAR" --server.port="$TARGET_PORT" >"$log" 2>&1 & ;;
    *) echo "unknown target: $target (expected proxy, agentstream or spring)" >&2; exit 2 ;;
  esac
  TARGET_PID=$!
  TARGET_PIDS=$TARGET_PID
  PIDS+=("$TARGET_PID")
  wait_port "$TARGET_PORT" "$TARGET_PID" "$log"
}

# Stops every process of the current target.
stop_target() {
  local pid
  for pid in ${TARGET_PIDS//,/ }; do stop_process "$pid"; done
}

# The load generator's kind for a target: the node targets all speak agentstream's own API.
target_kind() {
  case "$1" in
    agentstream-pg|two-nodes|two-nodes-cross) echo agentstream ;;
    *) echo "$1" ;;
  esac
}

# Runs one load level; extra arguments go to the load generator. Bounded by `timeout` on top of the
# generator's own deadlines.
load() {
  local target=$1 streams=$2; shift 2
  local limit=$(( 2 * TOKENS / RATE + 150 ))
  local cross=()
  [ "$target" = two-nodes-cross ] && cross=(--cross-read)
  timeout --kill-after=10 "$limit" java -Xms256m -Xmx1g -cp "$CLASSES" dev.agentstream.bench.load.LoadGenerator \
    --target "$(target_kind "$target")" --label "$target" --url "$TARGET_URLS" "${cross[@]}" --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
    --streams "$streams" --tokens "$TOKENS" --rate "$RATE" --clk-tck "$(getconf CLK_TCK)" "$@"
}

# Runs first so that the JIT has compiled the hot paths before anything is measured: a short run
# leaves the C2 compiler busy during the first level (about a core for agentstream and the Spring
# peer), which showed up as CPU per token.
# Two nodes are two JVMs to warm, and a cross-node read takes paths a local one never does: three rounds.
warm_up() {
  local target=$1 saved=$TOKENS rounds=1 round
  case "$target" in two-nodes|two-nodes-cross) rounds=3 ;; esac
  TOKENS=50
  for round in $(seq 1 "$rounds"); do
    load "$target" 300 --stop-sample 0 >"$WORK/$target-warmup-$round.log" 2>&1 || true
  done
  TOKENS=$saved
}

MEM=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
JDK=$(java -version 2>&1 | head -n 1)
MACHINE="$(nproc) cores, $MEM, $(uname -sr), $JDK, load average at start $(cut -d' ' -f1 /proc/loadavg)"
start_upstream
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
NOTES=""
STATUS=0
for target in $TARGETS; do
  if ! start_target "$target"; then
    echo "== $target: not run ($SPRING_JAR not found)"
    NOTES="${NOTES}The Spring AI peer was not run: \`$SPRING_JAR\` did not exist (build it first). "
    continue
  fi
  echo "== $target (pid $TARGET_PID, port $TARGET_PORT)"
  warm_up "$target"
  for streams in $LEVELS; do
    echo "-- $target, $streams streams"
    if $SMOKE; then
      load "$target" "$streams" --stop-sample 0 --fail-late-ms 1000 || STATUS=1
    else
      load "$target" "$streams" --pid "$TARGET_PIDS" --heap --result-file "$RESULTS" || echo "load run failed ($target, $streams)"
      sleep 2   # let the target settle before its next idle heap figure
    fi
  done
  stop_target
done

if $SMOKE; then
  [ $STATUS -eq 0 ] && echo "smoke: OK" || echo "smoke: FAILED (logs: $WORK; rerun with --keep to keep them)"
  exit $STATUS
fi

if $WRITE; then
  bench_java dev.agentstream.bench.load.ReportWriter --results "$RESULTS" --doc "$DOC" \
    --command "$COMMAND" --date "$(date -u +%Y-%m-%dT%H:%MZ)" --machine "$MACHINE" --notes "$NOTES"
else
  cat "$RESULTS"
fi
