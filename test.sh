#!/usr/bin/env bash
# Runs every test of every module. PostgreSQL (127.0.0.1:5432, database "test") and Redis are used
# when they run; without them their tests skip with a message (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")"
. bin/java-home.sh
exec mvn -B -ntp "$@" verify
