# Sourced by the scripts: picks a JDK >= 21 for Maven and java when the default one is older.
# Honours an existing JAVA_HOME that is new enough.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}
pick_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  local default_java
  default_java=$(command -v java || true)
  if [ -n "$default_java" ]; then
    candidate=$(dirname "$(dirname "$(readlink -f "$default_java")")")
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  echo "agentstream needs a JDK 21 or newer; set JAVA_HOME to one." >&2
  return 1
}
pick_java_home || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
