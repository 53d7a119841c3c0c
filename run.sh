#!/usr/bin/env bash
# Builds the server jar (agentstream-server/target/agentstream.jar) when it is missing or older than
# the sources, then starts it. Configuration is by environment variables: see docs/SERVER.md.
# Defaults: http://127.0.0.1:7777, SQLite file ./agentstream.db, the offline demo model.
set -euo pipefail
cd "$(dirname "$0")"
. bin/java-home.sh
jar=agentstream-server/target/agentstream.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml agentstream-*/pom.xml agentstream-*/src/main -newer "$jar" -print -quit)" ]; then
  echo "building $jar"
  mvn -q -B -ntp -DskipTests package
fi
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
