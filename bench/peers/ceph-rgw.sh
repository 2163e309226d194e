#!/usr/bin/env bash
# A throwaway single-node Ceph cluster (1 mon, 1 mgr, 1 bluestore OSD, 1 RGW)
# living entirely under one directory, bound to loopback, as a peer S3 server
# for the benchmarks and the multi-node tests.
#
#   ceph-rgw.sh start <dir> [port]   -> prints CEPH_RGW_* lines, writes <dir>/env
#   ceph-rgw.sh stop <dir>           -> stops the daemons recorded in <dir>/pids
#
# Everything (data, keys, sockets, logs) stays in <dir>, so several clusters
# can live side by side and nothing touches /etc/ceph or /var/lib/ceph. There
# is no systemd here, so the daemons run as plain background processes and
# their PIDs are recorded; `stop` only ever signals those PIDs.
#
# Environment knobs (all optional):
#   CEPH_RGW_TIMEOUT   overall bound for `start`, seconds (default 120)
#   CEPH_RGW_OSD_SIZE  size of the sparse bluestore file (default 8G)
#   CEPH_RGW_THREADS   rgw_thread_pool_size (default 64)
set -euo pipefail

PACKAGES=(radosgw ceph-mon ceph-mgr ceph-osd ceph-common)
TIMEOUT=${CEPH_RGW_TIMEOUT:-120}
OSD_SIZE=${CEPH_RGW_OSD_SIZE:-8G}
RGW_THREADS=${CEPH_RGW_THREADS:-64}

die() { echo "ceph-rgw: $*" >&2; exit 1; }
log() { echo "ceph-rgw: $*" >&2; }

usage() {
    echo "usage: $0 start <dir> [port] | stop <dir>" >&2
    exit 2
}

ensure_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    # A fresh machine has empty apt lists; update only then, it costs ~10 s.
    if ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then
        apt-get update -qq
    fi
    # No recommends: they drag in ceph-mds, smartmontools, etc. The postinst
    # scripts try to talk to systemd and complain; that is harmless here.
    # Lists that are present but stale point at superseded .debs (404): one
    # update and retry covers that.
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}")
    "${apt[@]}" >&2 || { apt-get update -qq && "${apt[@]}" >&2; }
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

port_in_use() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}

# Seconds left of the overall budget; every wait is bounded by it so a wedged
# daemon fails `start` instead of hanging a benchmark run forever.
remaining() { echo $(( DEADLINE - SECONDS )); }

# Fail with the log of the daemon that is the likely culprit.
fail_with_log() {
    local what=$1 logname=$2
    log "$what"
    local f
    # .log is the daemon's own log; .out its stderr (which repeats errors
    # with blank lines between them, hence the filter).
    for f in "$DIR/log/$logname.log" "$DIR/log/$logname.out"; do
        if [ -s "$f" ]; then
            echo "---- tail $f" >&2
            grep -v '^$' "$f" | tail -n 30 >&2
        fi
    done
    exit 1
}

# Start a daemon in the background and record its PID. setsid detaches it
# from our session so it outlives this script and the caller's terminal;
# without job control our child is not a group leader, so setsid execs in
# place and $! is the daemon's own PID.
spawn() {
    local name=$1; shift
    setsid "$@" </dev/null >"$DIR/log/$name.out" 2>&1 &
    local pid=$!
    echo "$name $pid" >>"$DIR/pids"
    PIDS+=("$pid")
    LAST_PID=$pid
}

alive_or_fail() {
    local pid=$1 name=$2 logname=$3
    kill -0 "$pid" 2>/dev/null || fail_with_log "$name (pid $pid) died" "$logname"
}

# wait_for <description> <pid> <logname> <command...>: polls the command until
# it succeeds, the daemon dies, or the overall deadline passes.
wait_for() {
    local what=$1 pid=$2 logname=$3; shift 3
    while :; do
        alive_or_fail "$pid" "$logname" "$logname"
        if "$@" >/dev/null 2>&1; then return 0; fi
        [ "$(remaining)" -gt 0 ] || fail_with_log "timed out after ${TIMEOUT}s waiting for $what" "$logname"
        sleep 0.5
    done
}

# Bounded client calls: a mon that is not up yet would otherwise make the
# `ceph` CLI retry for minutes.
ceph_cli() { timeout 20 ceph --conf "$DIR/ceph.conf" --connect-timeout 10 "$@"; }

on_start_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        log "start failed, stopping what was started"
        stop_pids || true
    fi
}

cmd_start() {
    DIR=$1
    local port=${2:-}
    PIDS=()

    ensure_packages
    # The bound covers the cluster, not a first-time package install.
    DEADLINE=$(( SECONDS + TIMEOUT ))

    if [ -z "$port" ]; then
        port=$(free_port)
    elif port_in_use "$port"; then
        die "port $port is already in use on 127.0.0.1"
    fi
    local mon_port fsid osd_uuid
    mon_port=$(free_port)
    while [ "$mon_port" = "$port" ]; do mon_port=$(free_port); done
    # ceph.conf values cannot hold whitespace reliably.
    [[ $DIR =~ [[:space:]] ]] && die "directory must not contain whitespace: $DIR"
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    # Refuse to reuse a directory: the cluster is meant to be throwaway and a
    # half-old mon store with a new fsid fails in confusing ways.
    [ -e "$DIR/ceph.conf" ] && die "$DIR already holds a cluster; stop it and use a fresh directory"
    mkdir -p "$DIR"/{run,log,mon/ceph-a,mgr/ceph-x,osd/ceph-0,rgw/ceph-rgw.gw}
    : >"$DIR/pids"

    # If start fails midway, do not leave half a cluster running.
    trap on_start_exit EXIT

    fsid=$(uuidgen)
    osd_uuid=$(uuidgen)

    # msgr v2 only: every 16.x client speaks it, and it saves a second mon port.
    cat >"$DIR/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
# Loopback only: without cluster_addr the OSD binds its cluster and
# back-heartbeat ports on 0.0.0.0.
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_msgr2 = true

# Keep every path under the cluster directory, none in /var or /etc.
run_dir = $DIR/run
admin_socket = $DIR/run/\$cluster-\$name.asok
log_file = $DIR/log/\$name.log
mon_cluster_log_file = $DIR/log/cluster.log
keyring = $DIR/keyring
mon_data = $DIR/mon/\$cluster-\$id
mgr_data = $DIR/mgr/\$cluster-\$id
osd_data = $DIR/osd/\$cluster-\$id
rgw_data = $DIR/rgw/\$cluster-\$id
pid_file = $DIR/run/\$name.pid
crash_dir = $DIR/crash

auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx

# One OSD: replicas of 1, and no warnings that would keep HEALTH_WARN forever.
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
auth_allow_insecure_global_id_reclaim = false
osd_crush_chooseleaf_type = 0
# RGW creates ~7 pools; at the default 32 PGs each they would exceed
# mon_max_pg_per_osd (250) on a single OSD and pool creation would fail.
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
mon_pg_warn_min_per_osd = 0

# A benchmark peer: logging off (errors still reach the log at level 0).
debug_ms = 0/0
debug_mon = 0/0
debug_paxos = 0/0
debug_auth = 0/0
debug_monc = 0/0
debug_mgr = 0/0
debug_mgrc = 0/0
debug_osd = 0/0
debug_bluestore = 0/0
debug_bluefs = 0/0
debug_bdev = 0/0
debug_rocksdb = 0/0
debug_rados = 0/0
debug_objecter = 0/0
debug_rgw = 0/0
debug_civetweb = 0/0
debug_asok = 0/0
debug_finisher = 0/0
debug_heartbeatmap = 0/0
debug_perfcounter = 0/0
debug_prioritycache = 0/0
debug_throttle = 0/0
debug_timer = 0/0
debug_context = 0/0
debug_crush = 0/0
debug_client = 0/0

[mon]
mon_data_avail_warn = 1
mon_data_avail_crit = 0
# Each map change (OSD boot, every pool RGW creates) waits for the next paxos
# proposal, 1 s apart by default; a single mon can propose far more often.
paxos_propose_interval = 0.1

[osd]
osd_objectstore = bluestore
# A sparse file in the OSD directory, created by --mkfs; it costs disk only
# for what is written.
bluestore_block_create = true
bluestore_block_size = $OSD_SIZE
bluestore_fsck_on_mount = false
bluestore_fsck_on_umount = false
# Default is 4 GiB; the box has other tenants. Bluestore's cache autotunes
# to this target.
osd_memory_target = 1073741824
# Two cores: fewer op shards than the default 8 (ssd) keeps idle threads down.
osd_op_num_shards = 2
osd_op_num_threads_per_shard = 2

[client.rgw.gw]
rgw_frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw_thread_pool_size = $RGW_THREADS
rgw_enable_usage_log = false
rgw_enable_ops_log = false
# rgw_dns_name stays unset: path-style addressing on 127.0.0.1 only.
rgw_data = $DIR/rgw/ceph-rgw.gw
EOF
    export CEPH_CONF="$DIR/ceph.conf"

    # All keys in one keyring that every daemon reads: it is a throwaway
    # loopback cluster, and mon --mkfs imports every entity in it (with caps)
    # into the auth database, so no `ceph auth add` round trips are needed.
    local k="$DIR/keyring"
    ceph-authtool --create-keyring "$k" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool "$k" --gen-key -n client.admin \
        --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
    ceph-authtool "$k" --gen-key -n mgr.x \
        --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *' >/dev/null
    ceph-authtool "$k" --gen-key -n osd.0 \
        --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
    ceph-authtool "$k" --gen-key -n client.rgw.gw \
        --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null

    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
    timeout 60 ceph-mon -c "$CEPH_CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$k" >"$DIR/log/mon.a.mkfs.out" 2>&1 \
        || fail_with_log "ceph-mon --mkfs failed" mon.a.mkfs

    spawn mon.a ceph-mon -c "$CEPH_CONF" -f -i a
    local mon_pid=$LAST_PID
    wait_for "the mon" "$mon_pid" mon.a ceph_cli mon stat
    log "mon up at ${SECONDS}s"

    spawn mgr.x ceph-mgr -c "$CEPH_CONF" -f -i x
    local mgr_pid=$LAST_PID

    # The OSD must exist in the osdmap before --mkfs; its key is already in
    # the auth database from mon --mkfs.
    ceph_cli osd new "$osd_uuid" 0 >/dev/null
    timeout 60 ceph-osd -c "$CEPH_CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$DIR/log/osd.0.mkfs.out" 2>&1 \
        || fail_with_log "ceph-osd --mkfs failed" osd.0.mkfs
    spawn osd.0 ceph-osd -c "$CEPH_CONF" -f -i 0
    local osd_pid=$LAST_PID
    osd_up() { ceph_cli osd dump 2>/dev/null | grep -q '^osd\.0 up'; }
    wait_for "osd.0 up" "$osd_pid" osd.0 osd_up
    log "osd.0 up at ${SECONDS}s"
    alive_or_fail "$mgr_pid" mgr.x mgr.x

    spawn client.rgw.gw radosgw -c "$CEPH_CONF" -f -n client.rgw.gw
    local rgw_pid=$LAST_PID
    # RGW only opens its port after creating its pools and zone, so an HTTP
    # answer (any status) means it is ready to serve.
    rgw_http() { curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/"; }
    wait_for "radosgw on 127.0.0.1:$port" "$rgw_pid" client.rgw.gw rgw_http
    log "radosgw answering at ${SECONDS}s"

    # radosgw-admin generates the keys; read them back from its JSON.
    local user_json keys
    user_json=$(timeout "$(( $(remaining) > 10 ? $(remaining) : 10 ))" \
        radosgw-admin -n client.admin user create --uid=bench --display-name="bench" 2>"$DIR/log/radosgw-admin.out") \
        || fail_with_log "radosgw-admin user create failed" radosgw-admin
    keys=$(printf '%s' "$user_json" | python3 -c \
        'import json,sys; k=json.load(sys.stdin)["keys"][0]; print(k["access_key"], k["secret_key"])')
    local access=${keys% *} secret=${keys#* }

    {
        echo "CEPH_RGW_ENDPOINT=http://127.0.0.1:$port"
        echo "CEPH_RGW_ACCESS_KEY=$access"
        echo "CEPH_RGW_SECRET_KEY=$secret"
        echo "CEPH_PIDS=\"${PIDS[*]}\""
        echo "CEPH_CONF=$DIR/ceph.conf"
    } >"$DIR/env"
    trap - EXIT
    log "ready in ${SECONDS}s"
    cat "$DIR/env"
}

# Signal only the recorded PIDs, and only while they still are our daemons
# (a ceph binary whose command line names this directory's ceph.conf): a PID
# recycled by the time `stop` runs must not be killed.
ours() {
    local pid=$1
    [ -r "/proc/$pid/cmdline" ] || return 1
    local cmd
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
    case $cmd in
        ceph-mon\ *|ceph-mgr\ *|ceph-osd\ *|radosgw\ *) ;;
        *) return 1 ;;
    esac
    [[ $cmd == *" $DIR/ceph.conf "* ]]
}

# TERM, then KILL whatever is still alive after 10 s.
term_then_kill() {
    [ $# -eq 0 ] && return 0
    local pid any
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 40); do
        any=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && any=1; done
        [ $any -eq 0 ] && return 0
        sleep 0.25
    done
    for pid in "$@"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored TERM for 10 s, killing"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

stop_pids() {
    [ -f "$DIR/pids" ] || return 0
    local name pid rgws=() others=() mons=()
    while read -r name pid; do
        ours "$pid" || continue
        case $name in
            client.rgw.*) rgws+=("$pid") ;;
            mon.*) mons+=("$pid") ;;
            *) others+=("$pid") ;;
        esac
    done <"$DIR/pids"
    # Stop in reverse dependency order. RGW's shutdown unwatches its control
    # objects on the OSD and hangs forever if the OSD is already gone. The OSD,
    # on TERM, asks the mon to mark it down and waits up to 5 s
    # (osd_mon_shutdown_timeout) for an answer that never comes if the mon is
    # gone.
    term_then_kill "${rgws[@]}"
    term_then_kill "${others[@]}"
    term_then_kill "${mons[@]}"
}

cmd_stop() {
    DIR=$(cd "$1" && pwd) || die "no such directory: $1"
    [ -f "$DIR/pids" ] || die "$DIR/pids not found: nothing was started there"
    stop_pids
}

[ $# -ge 1 ] || usage
case $1 in
    start) { [ $# -ge 2 ] && [ $# -le 3 ]; } || usage; cmd_start "$2" "${3:-}" ;;
    stop)  [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
    *) usage ;;
esac
