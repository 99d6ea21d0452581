# shellcheck shell=bash
# Helpers shared by scripts/services/*.sh (sourced, not run).
# Sources env.sh and the one-file-per-service definitions (kafka.sh, ...).
#
# Each service NAME defines these functions:
#   NAME_ports      print the ports it listens on (space separated)
#   NAME_installed  succeed when its binaries are in place
#   NAME_install    install them (first run only)
#   NAME_start      launch it in the background (does not wait)
#   NAME_ready      succeed when it answers a real request
#   NAME_pidfile    print its pid file
#   NAME_marker     print a string found in its command line (guards against pid reuse)
#   NAME_version    print the installed version
#   NAME_logs       print where its logs are

_lib_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$_lib_dir/env.sh"

log() { printf '[services] %s\n' "$*"; }
warn() { printf '[services] WARNING: %s\n' "$*" >&2; }
err() { printf '[services] ERROR: %s\n' "$*" >&2; }
die() {
  err "$*"
  exit 1
}

now_ms() { date +%s%3N; }
elapsed_since() { # START_MS -> "12.3s"
  local ms=$(($(now_ms) - $1))
  printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

is_service() {
  local s
  for s in "${SERVICES_ALL[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

# Turn command-line arguments into a validated service list (default: all).
select_services() {
  if (($# == 0)); then
    printf '%s\n' "${SERVICES_ALL[@]}"
    return
  fi
  local s
  for s in "$@"; do
    case "$s" in
      apicurio | schema-registry) s=registry ;;
    esac
    is_service "$s" || die "unknown service '$s' (known: ${SERVICES_ALL[*]})"
    printf '%s\n' "$s"
  done
}

# Call NAME_FUNCTION, e.g. svc kafka start.
svc() {
  local name=$1 fn=$2
  shift 2
  "${name}_${fn}" "$@"
}

ensure_services_home() {
  mkdir -p "$SERVICES_HOME"
  # Keep everything in here out of git without touching the repo's .gitignore.
  [[ -f $SERVICES_HOME/.gitignore ]] || printf '*\n' >"$SERVICES_HOME/.gitignore"
}

# --- processes --------------------------------------------------------------

# Print the pid in PIDFILE when that process is alive and its command line
# contains MARKER; fail otherwise.
pid_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -s $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -n $marker && -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  fi
  printf '%s\n' "$pid"
}

svc_pid() { pid_alive "$(svc "$1" pidfile)" "$(svc "$1" marker)"; }
svc_running() { svc_pid "$1" >/dev/null; }

# Stop the process of service NAME: SIGTERM, wait up to TIMEOUT s, then SIGKILL.
stop_service_process() {
  local name=$1 timeout=${2:-60} pidfile pid i
  pidfile=$(svc "$name" pidfile)
  if ! pid=$(svc_pid "$name"); then
    rm -f "$pidfile"
    return 1
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
}

# --- ports ------------------------------------------------------------------

# Succeed when something listens on TCP PORT (on any address).
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "( sport = :$port )" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/$SERVICES_HOST/$port") 2>/dev/null
  fi
}

# Describe who listens on PORT, for error messages.
port_owner() {
  local port=$1 out=""
  if command -v ss >/dev/null 2>&1; then
    out=$(ss -Hltnp "( sport = :$port )" 2>/dev/null | awk '{print $4, $6}' | tr '\n' ' ')
  fi
  printf '%s\n' "${out:-unknown process}"
}

# Succeed when all of service NAME's ports are listening.
svc_ports_listening() {
  local p
  for p in $(svc "$1" ports); do port_in_use "$p" || return 1; done
}

# Fail (with a message) when one of service NAME's ports is already taken.
check_ports_free() {
  local name=$1 p rc=0
  for p in $(svc "$name" ports); do
    if port_in_use "$p"; then
      err "$name: port $p is already taken by something else: $(port_owner "$p")"
      err "  stop that process, or pick another port (see scripts/services/env.sh)"
      rc=1
    fi
  done
  return $rc
}

# --- waiting ----------------------------------------------------------------

# Wait up to TIMEOUT s for service NAME to be ready; fail early if it dies.
wait_ready() {
  local name=$1 timeout=$2 deadline
  deadline=$(($(date +%s) + timeout))
  while (($(date +%s) < deadline)); do
    svc_running "$name" || {
      err "$name exited during start-up"
      return 1
    }
    if svc_ports_listening "$name" && svc "$name" ready; then return 0; fi
    sleep 0.5
  done
  err "$name was not ready within ${timeout}s"
  return 1
}

# --- installs ---------------------------------------------------------------

_apt_updated=0

# Install Debian packages that are missing (apt-get update once per run).
# Services are started by these scripts, not by the package's init scripts.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  if ((!_apt_updated)); then
    log "apt-get update"
    "${sudo[@]}" apt-get update -q >"$SERVICES_HOME/apt.log" 2>&1 ||
      die "apt-get update failed (see $SERVICES_HOME/apt.log)"
    _apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  # Keep maintainer scripts from starting the packaged services (policy-rc.d
  # exit 101 = "action forbidden"); only add one when none exists.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    added_policy=1
  fi
  local rc=0
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >>"$SERVICES_HOME/apt.log" 2>&1 || rc=$?
  ((added_policy)) && "${sudo[@]}" rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (see $SERVICES_HOME/apt.log)"
}

# Major version of the java binary JAVA (e.g. 17).
java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

require_java() { # JAVA MIN_MAJOR WHO
  local java=$1 min=$2 who=$3 major
  command -v "$java" >/dev/null 2>&1 || die "$who needs Java $min+, but '$java' was not found (set SERVICES_JAVA)"
  major=$(java_major "$java")
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < min)); then
    die "$who needs Java $min+, but '$java' is Java ${major:-?} (set SERVICES_JAVA or ${who^^}_JAVA)"
  fi
}

require_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# Run Maven quietly in batch mode; on failure show its output and die with WHAT.
mvn_run() { # WHAT LOGFILE ARGS...
  local what=$1 logfile=$2
  shift 2
  if ! mvn -B -q -U -Dstyle.color=never "$@" >"$logfile" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$logfile" | grep -m 2 'ERROR' >&2 || tail -n 20 "$logfile" >&2
    die "$what failed: Maven could not fetch it (full output: $logfile)"
  fi
}

# Install the tools (SERVICES_TOOLS) that are missing.
install_tools() {
  local t ti
  for t in "${SERVICES_TOOLS[@]}"; do
    svc "$t" installed && continue
    ti=$(now_ms)
    svc "$t" install
    log "$t: installed $(svc "$t" version) in $(elapsed_since "$ti")"
  done
}

# Basic tools the scripts rely on.
require_tools() {
  local need=()
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v ss >/dev/null 2>&1 || need+=(iproute2)
  command -v setsid >/dev/null 2>&1 || need+=(util-linux)
  ((${#need[@]} == 0)) || apt_install "${need[@]}"
}

for _svc in "${SERVICES_ALL[@]}" "${SERVICES_TOOLS[@]}"; do
  # shellcheck source=/dev/null
  source "$_lib_dir/$_svc.sh"
done
unset _svc
