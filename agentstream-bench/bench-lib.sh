# Sourced by the bench scripts (streaming-bench.sh, soak.sh): building what they run, and starting
# and stopping the processes they own. Expects ROOT (the repository) as the working directory.

# BENCH_SERVER_JAR runs another build of the server (an older commit's, to compare) with these scripts.
SERVER_JAR=${BENCH_SERVER_JAR:-agentstream-server/target/agentstream.jar}
CLASSES=agentstream-bench/target/classes

# Builds the server jar and the bench classes if missing or older than the sources.
build_if_needed() {
  local marker=$CLASSES/dev/agentstream/bench/load/LoadGenerator.class
  if [ -f "$SERVER_JAR" ] && [ -f "$marker" ] \
     && [ -z "$(find pom.xml agentstream-*/pom.xml $(ls -d agentstream-*/src | grep -v bench) -newer "$SERVER_JAR" -print -quit)" ] \
     && [ -z "$(find agentstream-bench/src -newer "$marker" -print -quit)" ]; then
    return 0
  fi
  echo "building the server jar and the bench classes"
  mvn -B -ntp -q -pl agentstream-server,agentstream-bench -am -DskipTests package
}

# Not for background processes: their $! must be java's own pid (for /proc and jcmd).
bench_java() { java -cp "$CLASSES" "$@"; }

# Every process a script starts goes into PIDS, every PostgreSQL schema it creates into PG_SCHEMAS;
# on exit the processes are stopped, the schemas dropped, and WORK is removed unless KEEP is true.
PIDS=()
PG_SCHEMAS=()
PG_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  local schema
  for schema in "${PG_SCHEMAS[@]}"; do
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  done
  if $KEEP; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}

# A fresh PostgreSQL schema (dropped on exit); sets FRESH_DB to its JDBC URL.
fresh_schema() {
  local schema="bench_$$_$RANDOM"
  psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema" >/dev/null
  PG_SCHEMAS+=("$schema")
  FRESH_DB="$PG_URL&currentSchema=$schema"
}

# Waits until something listens on 127.0.0.1:$1, or fails if process $2 died or 60 s passed.
wait_port() {
  local port=$1 pid=$2 log=$3 _
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "process $pid exited; its log:" >&2; tail -n 30 "$log" >&2; return 1; fi
    sleep 0.25
  done
  echo "nothing listened on port $port within 60 s; log:" >&2; tail -n 30 "$log" >&2
  return 1
}

# Stops one process this script started: TERM, then KILL after 10 s.
stop_process() {
  local pid=$1 _
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
