# Sourced by ./mvnw and ./banyan: exports JAVA_HOME pointing at a JDK of version 21 or newer.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
banyan_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
banyan_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(banyan_java_major "$JAVA_HOME"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  best=""; best_v=0
  # find, not a glob: ./mvnw runs with `set -f`.
  for d in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort); do
    [ -x "$d/bin/javac" ] || continue
    v=$(banyan_java_major "$d")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -n "$best" ]; then JAVA_HOME="$best"; export JAVA_HOME; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(banyan_java_major "$d")
    if [ "${v:-0}" -ge 21 ]; then JAVA_HOME="$d"; export JAVA_HOME; return 0; fi
  fi
  echo "banyan: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm/*, PATH). Install one and set JAVA_HOME." >&2
  return 1
}
banyan_find_jdk || exit 1
BANYAN_JAVA_MAJOR=$(banyan_java_major "$JAVA_HOME")
# JVM flags for running Banyan: native crypto (ACCP) and RocksDB load JNI libraries, protobuf uses
# sun.misc.Unsafe; allow both quietly on the JDKs that would otherwise warn.
BANYAN_JVM_FLAGS=""
[ "${BANYAN_JAVA_MAJOR:-21}" -ge 22 ] && BANYAN_JVM_FLAGS="--enable-native-access=ALL-UNNAMED"
[ "${BANYAN_JAVA_MAJOR:-21}" -ge 24 ] && BANYAN_JVM_FLAGS="$BANYAN_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
# Maven 3.9's Guice uses sun.misc.Unsafe too; keep its warnings out of every build log on JDK 24+.
if [ "${BANYAN_JAVA_MAJOR:-21}" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in *"--sun-misc-unsafe-memory-access"*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;; esac
fi
