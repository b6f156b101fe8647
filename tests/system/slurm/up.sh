#!/usr/bin/env bash
# up.sh — a real single-node Slurm 22.05 cluster with accounting, for hpc-accounting's system tests.
#
#   munged (own socket) + MariaDB (own datadir, 127.0.0.1:3317) + slurmdbd + slurmctld + slurmd
#   + slurmrestd (JWT, 127.0.0.1:6920), all as plain background daemons (no systemd), from Debian 12
#   packages. Everything lives under one state directory; nothing in /etc is changed except the
#   users it creates (alice, bob, oper, admin1, slurmrest). Must run as root.
#
# Usage:
#   up.sh up                  install packages if missing, configure, start, create users/accounts,
#                             submit the seed jobs and wait until accounting (sacct) has them all
#   up.sh token USER [LIFE]   print a JWT for USER (X-SLURM-USER-TOKEN), LIFE seconds [86400]
#   up.sh env [--json]        print export lines (SLURM_CONF, SLURMRESTD_URL, ...) or $DIR/env.json
#   up.sh status              show which daemons are running (exit 1 if any is stopped)
#   up.sh down                cancel queued jobs, stop only the daemons this script started (pid files)
#   up.sh destroy             down + delete the state directory (config, DB, keys, logs)
#
# Environment (all optional):
#   HPC_SLURM_DIR            state/config directory                      [/tmp/hpc-accounting-slurm]
#   HPC_SLURM_CLUSTER        ClusterName                                 [sandbox]
#   HPC_SLURM_PRIVATEDATA    PrivateData for slurm.conf and slurmdbd.conf; "" disables [jobs,usage]
#   HPC_SLURM_SEED           1 = submit the seed jobs on up              [1]
#   HPC_SLURM_SEED_TIMEOUT   1 = also a TIMEOUT job (adds ~60-90 s)      [0]
#   HPC_SLURM_{CTLD,SLURMD,DBD,REST,MYSQL}_PORT                           [6917 6918 6919 6920 3317]
#                            (not Slurm's 6817-6819: a developer's own sandbox may be running there)
#
# Accounts (cluster $HPC_SLURM_CLUSTER, all under root):
#   physics    physics-dept/science      alice (default), no partition limit
#   chemistry  chemistry-dept/science    alice, bob (default)
#   ops        operations/it             oper (AdminLevel=Operator), admin1 (Administrator)
#   science    science-faculty/science   no users; coordinator alice (and so of its sub-accounts)
#     astro    astronomy-group/science   alice; bob on partition gpu only; coordinator oper too; no seed jobs
#
# Seed jobs (names are stable, ids are whatever Slurm gives; see $DIR/env.json):
#   seed-cpu-srun      alice  physics    -c 2 (1 on a 1-CPU machine), srun step 0 burns all its CPUs ~3 s, step 1 `true`
#   seed-cpu-bob       bob    chemistry  -c 1, srun step 0 burns ~2 s of CPU
#   seed-cancel-pending bob   chemistry  cancelled before it starts (no allocation)
#   seed-gpu1          alice  physics    -p gpu --gres=gpu:1, srun step burns ~1 s
#   seed-gpu2          bob    chemistry  -p gpu --gres=gpu:2
#   seed-fail          alice  chemistry  exit 3 -> FAILED
#   seed-cancel-running bob   chemistry  sleep 300, cancelled by bob while RUNNING
#   seed-array         alice  physics    --array=1-3 (3 records: <id>_1 <id>_2 <id>_3)
#   seed-timeout       bob    chemistry  only with HPC_SLURM_SEED_TIMEOUT=1: -t 1, sleep 300 -> TIMEOUT
set -euo pipefail
umask 022

SB=${HPC_SLURM_DIR:-/tmp/hpc-accounting-slurm}
CLUSTER=${HPC_SLURM_CLUSTER:-sandbox}
PRIVATE_DATA=${HPC_SLURM_PRIVATEDATA-jobs,usage}
SEED=${HPC_SLURM_SEED:-1}
SEED_TIMEOUT=${HPC_SLURM_SEED_TIMEOUT:-0}
CTLD_PORT=${HPC_SLURM_CTLD_PORT:-6917}
SLURMD_PORT=${HPC_SLURM_SLURMD_PORT:-6918}
DBD_PORT=${HPC_SLURM_DBD_PORT:-6919}
REST_PORT=${HPC_SLURM_REST_PORT:-6920}
MYSQL_PORT=${HPC_SLURM_MYSQL_PORT:-3317}
REST_USER=slurmrest            # slurmrestd refuses to run as root or as SlurmUser
SLURM_USER=slurm               # created by the Debian slurm packages
TEST_USERS="alice bob oper admin1"
PACKAGES="munge mariadb-server slurmctld slurmd slurmdbd slurmrestd slurm-client slurm-wlm-jwt-plugin curl"

ETC=$SB/etc RUN=$SB/run LOG=$SB/log STATE=$SB/state JOBS=$SB/jobs DBDIR=$SB/mysql
MUNGE_SOCK=$RUN/munge/munge.socket.2
MYSQL_SOCK=$RUN/mysqld/mysqld.sock
export SLURM_CONF=$ETC/slurm.conf
unset SLURM_JWT SLURMRESTD_SECURITY SLURM_CLUSTERS 2>/dev/null || true

CHANGED_SLURM=0 CHANGED_DBD=0
log() { echo "[slurm-up $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }
node_name() { hostname -s; }

# ---------------------------------------------------------------- pid handling
pid_alive() {  # pid_alive PIDFILE COMM -> 0 if the pid in PIDFILE is alive and its comm is COMM
  local f=$1 comm=$2 pid
  [ -s "$f" ] || return 1
  pid=$(tr -dc 0-9 < "$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]
}
stop_pid() {  # stop_pid PIDFILE COMM
  local f=$1 comm=$2 pid i
  if ! pid_alive "$f" "$comm"; then rm -f "$f"; return 0; fi
  pid=$(tr -dc 0-9 < "$f")
  log "stopping $comm (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
  if [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; then
    log "$comm did not stop, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 1
  fi
  rm -f "$f"
}
wait_for() {  # wait_for SECONDS DESCRIPTION CMD...
  local t=$1 what=$2 end; shift 2
  end=$((SECONDS + t))
  while [ $SECONDS -lt $end ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "timed out after ${t}s waiting for $what"
}

# ---------------------------------------------------------------- install
missing_pkgs() {
  local p missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  echo "$missing"
}
install_pkgs() {
  local missing; missing=$(missing_pkgs)
  [ -z "${missing// /}" ] && return 0
  log "installing:$missing"
  local added_policy=0 rc=0
  # keep the packages' own services (munge, mariadb, slurm*) from being started by the install
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; added_policy=1
  fi
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q)
  if ! apt-cache show slurmctld slurm-wlm-jwt-plugin >/dev/null 2>&1; then "${apt[@]}" update || rc=$?; fi
  if [ $rc = 0 ]; then
    # shellcheck disable=SC2086
    "${apt[@]}" install --no-install-recommends $missing \
      || { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends $missing; } || rc=$?
  fi
  if [ $added_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ $rc = 0 ] || die "apt-get failed (rc=$rc)"
}

# ---------------------------------------------------------------- users
ensure_users() {
  local u
  for u in $TEST_USERS; do
    id "$u" >/dev/null 2>&1 || useradd -m -s /bin/bash "$u"
  done
  id "$REST_USER" >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$REST_USER"
  id "$SLURM_USER" >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$SLURM_USER"
}

# ---------------------------------------------------------------- config
write_if_changed() {  # write_if_changed FILE (content on stdin); returns 0 if changed
  local f=$1 tmp; tmp=$(mktemp)
  cat > "$tmp"
  if [ -f "$f" ] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; return 1; fi
  mv "$tmp" "$f"; chmod 644 "$f"; return 0
}

configure() {
  local node mem cpus
  node=$(node_name)
  mkdir -p "$SB" "$ETC" "$RUN" "$LOG" "$STATE/ctld" "$STATE/slurmd" "$JOBS" \
           "$RUN/munge" "$LOG/munge" "$STATE/munge" "$RUN/mysqld" "$RUN/slurm"
  chmod 755 "$SB" "$ETC" "$RUN" "$LOG" "$STATE"
  chmod 1777 "$JOBS"
  chown munge:munge "$RUN/munge" "$LOG/munge" "$STATE/munge"; chmod 700 "$STATE/munge"
  chown mysql:mysql "$RUN/mysqld"
  touch "$LOG/mariadb.err"; chown mysql:mysql "$LOG/mariadb.err"
  chown "$SLURM_USER:$SLURM_USER" "$STATE/ctld" "$RUN/slurm"
  for f in slurmctld.log slurmdbd.log; do touch "$LOG/$f"; chown "$SLURM_USER:$SLURM_USER" "$LOG/$f"; done

  # keys / secrets (generated once, kept across runs)
  mkdir -p "$ETC/munge"; chown munge:munge "$ETC/munge"; chmod 700 "$ETC/munge"
  if [ ! -s "$ETC/munge/munge.key" ]; then
    dd if=/dev/urandom of="$ETC/munge/munge.key" bs=1024 count=1 status=none
  fi
  chown munge:munge "$ETC/munge/munge.key"; chmod 400 "$ETC/munge/munge.key"
  if [ ! -s "$ETC/jwt_hs256.key" ]; then
    dd if=/dev/urandom of="$ETC/jwt_hs256.key" bs=32 count=1 status=none
  fi
  chown "$SLURM_USER:$SLURM_USER" "$ETC/jwt_hs256.key"; chmod 600 "$ETC/jwt_hs256.key"
  if [ ! -s "$ETC/dbpass" ]; then
    (set +o pipefail; tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 24) > "$ETC/dbpass"
  fi
  chmod 600 "$ETC/dbpass"

  # CPU topology exactly as slurmd detects it; RealMemory 90% of detected (never "Low RealMemory")
  local hw; hw=$(slurmd -C 2>/dev/null | head -1)
  cpus=$(echo "$hw" | grep -o 'CPUs=[0-9]* Boards=[0-9]* SocketsPerBoard=[0-9]* CoresPerSocket=[0-9]* ThreadsPerCore=[0-9]*' || true)
  [ -n "$cpus" ] || cpus="CPUs=$(nproc)"
  mem=$(echo "$hw" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  [ -n "$mem" ] || mem=$(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo)
  mem=$((mem * 9 / 10))
  # fake GPUs: gres/gpu drops file-less GPUs, so point File= at two harmless char devices (1:3 = /dev/null)
  mkdir -p "$SB/dev"
  local g
  for g in 0 1; do
    [ -c "$SB/dev/fakegpu$g" ] && continue
    rm -f "$SB/dev/fakegpu$g"
    mknod -m 666 "$SB/dev/fakegpu$g" c 1 3 2>/dev/null || touch "$SB/dev/fakegpu$g"
  done

  local pd_line="" ; [ -n "$PRIVATE_DATA" ] && pd_line="PrivateData=$PRIVATE_DATA"
  write_if_changed "$ETC/slurm.conf" <<EOF && CHANGED_SLURM=1
# generated by tests/system/slurm/up.sh
ClusterName=$CLUSTER
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$SLURM_USER
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$RUN/slurm/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# no cgroups needed
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=5
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$DBD_PORT
# with auth/munge this is the munge socket used for slurmdbd connections (AuthInfo is not used there)
AccountingStoragePass=$MUNGE_SOCK
AccountingStorageTRES=gres/gpu
AccountingStorageEnforce=associations
JobCompType=jobcomp/none
GresTypes=gpu
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
MpiDefault=none
# creates the JobID.extern step like most production sites (works with proctrack/linuxproc)
PrologFlags=Contain
ReturnToService=2
KillWait=5
MinJobAge=3600
InactiveLimit=0
Waittime=0
SlurmctldTimeout=30
SlurmdTimeout=60
$pd_line
NodeName=$node NodeAddr=127.0.0.1 $cpus RealMemory=$mem Gres=gpu:2 State=UNKNOWN
PartitionName=cpu Nodes=$node Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=$node MaxTime=INFINITE State=UP
EOF
  write_if_changed "$ETC/gres.conf" <<EOF && CHANGED_SLURM=1
AutoDetect=off
NodeName=$node Name=gpu File=$SB/dev/fakegpu[0-1]
EOF
  local dbd_tmp; dbd_tmp=$(mktemp)
  cat > "$dbd_tmp" <<EOF
# generated by tests/system/slurm/up.sh
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
DbdHost=$node
DbdAddr=127.0.0.1
DbdPort=$DBD_PORT
SlurmUser=$SLURM_USER
PidFile=$RUN/slurm/slurmdbd.pid
LogFile=$LOG/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$MYSQL_PORT
StorageUser=slurm
StoragePass=$(cat "$ETC/dbpass")
StorageLoc=slurm_acct_db
$pd_line
EOF
  if ! { [ -f "$ETC/slurmdbd.conf" ] && cmp -s "$dbd_tmp" "$ETC/slurmdbd.conf"; }; then
    mv "$dbd_tmp" "$ETC/slurmdbd.conf"; CHANGED_DBD=1
  else
    rm -f "$dbd_tmp"
  fi
  chown "$SLURM_USER:$SLURM_USER" "$ETC/slurmdbd.conf"; chmod 600 "$ETC/slurmdbd.conf"
}

# ---------------------------------------------------------------- daemons
start_munge() {
  if pid_alive "$RUN/munge/munged.pid" munged; then return 0; fi
  log "starting munged"
  rm -f "$MUNGE_SOCK" "$MUNGE_SOCK.lock"
  runuser -u munge -- munged --socket="$MUNGE_SOCK" --key-file="$ETC/munge/munge.key" \
    --pid-file="$RUN/munge/munged.pid" --log-file="$LOG/munge/munged.log" \
    --seed-file="$STATE/munge/munged.seed" </dev/null >>"$LOG/munge/munged.out" 2>&1
  wait_for 20 munged bash -c "munge -n -S '$MUNGE_SOCK' | unmunge -S '$MUNGE_SOCK'"
}

# shellcheck disable=SC2120 # called through wait_for with arguments
mysql_root() { mariadb --no-defaults -S "$MYSQL_SOCK" -u root "$@"; }

start_mariadb() {
  if pid_alive "$RUN/mysqld/mariadbd.pid" mariadbd; then return 0; fi
  if [ ! -d "$DBDIR/mysql" ]; then
    log "initialising MariaDB datadir $DBDIR"
    mkdir -p "$DBDIR"; chown mysql:mysql "$DBDIR"; chmod 750 "$DBDIR"
    mariadb-install-db --no-defaults --user=mysql --datadir="$DBDIR" \
      --auth-root-authentication-method=socket --skip-test-db >"$LOG/mariadb-install.log" 2>&1 \
      || { cat "$LOG/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  log "starting mariadbd on 127.0.0.1:$MYSQL_PORT"
  # a throw-away test database: no fsyncs (slurmdbd creates ~50 tables when the cluster is registered)
  setsid mariadbd --no-defaults --user=mysql --datadir="$DBDIR" --socket="$MYSQL_SOCK" \
    --port="$MYSQL_PORT" --bind-address=127.0.0.1 --pid-file="$RUN/mysqld/mariadbd.pid" \
    --log-error="$LOG/mariadb.err" --skip-name-resolve --innodb-buffer-pool-size=256M \
    --innodb-log-file-size=64M --innodb-lock-wait-timeout=900 --max-allowed-packet=16M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-flush-method=nosync \
    </dev/null >>"$LOG/mariadb.out" 2>&1 &
  wait_for 60 mariadb mysql_root -e 'select 1'
  wait_for 10 "mariadb pid file" pid_alive "$RUN/mysqld/mariadbd.pid" mariadbd
  local pw; pw=$(cat "$ETC/dbpass")
  mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL
}

start_slurmdbd() {
  if pid_alive "$RUN/slurm/slurmdbd.pid" slurmdbd; then
    [ "$CHANGED_DBD" = 1 ] || return 0
    log "slurmdbd.conf changed, restarting slurmdbd"; stop_pid "$RUN/slurm/slurmdbd.pid" slurmdbd
  fi
  log "starting slurmdbd on 127.0.0.1:$DBD_PORT"
  slurmdbd </dev/null >>"$LOG/slurmdbd.out" 2>&1
  wait_for 60 "slurmdbd (sacctmgr show cluster)" sacctmgr -n -P show cluster
}

has() { [ -n "$(sacctmgr -n -P "$@" 2>/dev/null)" ]; }

setup_accounting() {
  # one sacctmgr session for everything missing (each sacctmgr call costs ~0.5-1 s)
  local cmds="" accts assocs admins coords
  has show cluster "$CLUSTER" format=cluster || cmds+="add cluster $CLUSTER"$'\n'
  accts=$(sacctmgr -n -P show account format=account 2>/dev/null || true)
  assocs=$(sacctmgr -n -P show assoc format=account,user,partition 2>/dev/null || true)
  admins=$(sacctmgr -n -P show user format=user,adminlevel 2>/dev/null || true)
  coords=$(sacctmgr -n -P show account withcoord format=account,coordinators 2>/dev/null || true)
  want_account() { grep -qx "$1" <<<"$accts" || cmds+="add account $1 Description=$2 Organization=$3 ${4:+Parent=$4}"$'\n'; }
  want_assoc() { grep -qx "$2|$1|${4:-}" <<<"$assocs" || cmds+="add user $1 Account=$2 ${3:-} ${4:+Partition=$4}"$'\n'; }
  want_admin() { grep -qx "$1|$2" <<<"$admins" || cmds+="modify user $1 set AdminLevel=$2"$'\n'; }
  want_coord() { grep -qE "^$1\|(.*,)?$2(,|\$)" <<<"$coords" || cmds+="add coordinator account=$1 names=$2"$'\n'; }
  want_account physics physics-dept science
  want_account chemistry chemistry-dept science
  want_account ops operations it
  # a hierarchy (root > science > astro) with no seed jobs in it, so coordinating it shows alice no one else's
  # jobs under PrivateData=jobs; bob's association there is limited to one partition
  want_account science science-faculty science
  want_account astro astronomy-group science science
  want_assoc alice physics DefaultAccount=physics
  want_assoc alice chemistry
  want_assoc bob chemistry DefaultAccount=chemistry
  want_assoc oper ops DefaultAccount=ops
  want_assoc admin1 ops DefaultAccount=ops
  want_assoc alice astro
  want_assoc bob astro "" gpu
  if [ -n "$cmds" ]; then
    log "accounting: $(echo "$cmds" | grep -c .) sacctmgr commands (cluster $CLUSTER, accounts, users)"
    printf '%s' "$cmds" | sacctmgr -i >"$LOG/sacctmgr-setup.log" 2>&1 || true
    admins=$(sacctmgr -n -P show user format=user,adminlevel 2>/dev/null || true)
  fi
  cmds=""
  want_admin oper Operator
  want_admin admin1 Administrator
  want_coord science alice
  want_coord astro oper
  [ -z "$cmds" ] || printf '%s' "$cmds" | sacctmgr -i >>"$LOG/sacctmgr-setup.log" 2>&1 || true
  has show cluster "$CLUSTER" format=cluster || { cat "$LOG/sacctmgr-setup.log" >&2; die "accounting setup failed (cluster $CLUSTER missing)"; }
  [ "$(sacctmgr -n -P show assoc format=user 2>/dev/null | grep -cxE 'alice|bob|oper|admin1')" -ge 5 ] \
    || { cat "$LOG/sacctmgr-setup.log" >&2; die "accounting setup failed (user associations missing)"; }
  [ "$(sacctmgr -n -P show user admin1 format=adminlevel 2>/dev/null)" = Administrator ] \
    || { cat "$LOG/sacctmgr-setup.log" >&2; die "accounting setup failed (admin1 is not Administrator)"; }
  [ "$(sacctmgr -n -P show assoc cluster="$CLUSTER" account=astro user= format=parentname 2>/dev/null)" = science ] \
    || { cat "$LOG/sacctmgr-setup.log" >&2; die "accounting setup failed (astro is not a child of science)"; }
  sacctmgr -n -P show account science withcoord format=coordinators 2>/dev/null | grep -qw alice \
    || { cat "$LOG/sacctmgr-setup.log" >&2; die "accounting setup failed (alice does not coordinate science)"; }
}

start_slurmctld() {
  if pid_alive "$RUN/slurm/slurmctld.pid" slurmctld; then
    [ "$CHANGED_SLURM" = 1 ] || return 0
    log "slurm.conf/gres.conf changed, restarting slurmctld"; stop_pid "$RUN/slurm/slurmctld.pid" slurmctld
  fi
  log "starting slurmctld on 127.0.0.1:$CTLD_PORT"
  slurmctld </dev/null >>"$LOG/slurmctld.out" 2>&1
  wait_for 60 slurmctld bash -c "scontrol ping | grep -q 'is UP'"
}

node_ok() { sinfo -h -n "$(node_name)" -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated|completing)'; }
start_slurmd() {
  if pid_alive "$RUN/slurmd.pid" slurmd && [ "$CHANGED_SLURM" = 1 ]; then
    log "restarting slurmd"; stop_pid "$RUN/slurmd.pid" slurmd
  fi
  if ! pid_alive "$RUN/slurmd.pid" slurmd; then
    log "starting slurmd (node $(node_name))"
    slurmd -N "$(node_name)" </dev/null >>"$LOG/slurmd.out" 2>&1
  fi
  local i st
  for i in $(seq 1 120); do
    node_ok && return 0
    st=$(sinfo -h -n "$(node_name)" -o %T 2>/dev/null | head -1)
    # a drain/invalid state left over from an earlier config: resume once slurmd has registered
    if [ "$i" = 10 ] && echo "$st" | grep -qE 'drain|inval|down'; then
      log "node state '$st', resuming"; scontrol update nodename="$(node_name)" state=resume 2>/dev/null || true
    fi
    sleep 0.5
  done
  sinfo -N -l >&2 || true; scontrol show node "$(node_name)" | grep -i reason >&2 || true
  die "node $(node_name) did not become idle"
}

rest_ok() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REST_PORT/openapi/v3" | grep -qE '^[2-4][0-9][0-9]$'; }
start_slurmrestd() {
  if pid_alive "$RUN/slurmrestd.pid" slurmrestd; then
    [ "$CHANGED_SLURM" = 1 ] || return 0
    log "restarting slurmrestd"; stop_pid "$RUN/slurmrestd.pid" slurmrestd
  fi
  log "starting slurmrestd on 127.0.0.1:$REST_PORT (as $REST_USER, JWT)"
  SLURM_JWT=daemon setsid slurmrestd -a rest_auth/jwt -u "$REST_USER" -g "$REST_USER" \
    "127.0.0.1:$REST_PORT" </dev/null >>"$LOG/slurmrestd.log" 2>&1 &
  echo $! > "$RUN/slurmrestd.pid"
  wait_for 30 slurmrestd rest_ok
  pid_alive "$RUN/slurmrestd.pid" slurmrestd || die "slurmrestd pid file mismatch"
}

# ---------------------------------------------------------------- seed jobs
as_user() { local u=$1; shift; if [ "$u" = root ]; then env SLURM_CONF="$SLURM_CONF" "$@"; else runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" "$@"; fi; }
SEED_TSV=$STATE/seed.tsv   # name<TAB>user<TAB>account<TAB>job id (array: the parent id)
submit() {  # submit NAME USER ACCOUNT sbatch-args...   -> records the job, prints its id
  local name=$1 u=$2 acct=$3 id; shift 3
  id=$(cd "$JOBS" && as_user "$u" sbatch --parsable -J "$name" -A "$acct" --chdir="$JOBS" -o "$JOBS/%x-%j.out" "$@" | cut -d';' -f1)
  [ -n "$id" ] || die "sbatch failed for $name"
  printf '%s\t%s\t%s\t%s\n' "$name" "$u" "$acct" "$id" >> "$SEED_TSV.tmp"
  echo "$id"
}
seed_ids() { cut -f4 "$SEED_TSV" | paste -sd, -; }
TERMINAL_RE='^(COMPLETED|FAILED|CANCELLED.*|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|BOOT_FAIL|DEADLINE|PREEMPTED)$'
seed_done() {  # every seed record (array tasks counted) is in a terminal state in slurmdbd
  local n states
  [ -s "$SEED_TSV" ] && [ -s "$STATE/seed.expected" ] || return 1
  states=$(sacct -n -P -X --allusers -S 2000-01-01 -E now -j "$(seed_ids)" -o State 2>/dev/null | awk '{print $1}')
  n=$(echo "$states" | grep -c . || true)
  [ "$n" -ge "$(cat "$STATE/seed.expected")" ] || return 1
  ! echo "$states" | grep -vqE "$TERMINAL_RE"
}
wait_state() {  # wait_state JOBID STATE SECONDS
  local i
  for i in $(seq 1 $(($3 * 2))); do
    [ "$(squeue -h -j "$1" -o %T 2>/dev/null)" = "$2" ] && return 0; sleep 0.5
  done
  return 1
}

seed_jobs() {
  [ "$SEED" = 1 ] || return 0
  if seed_done; then log "seed jobs already in accounting ($(seed_ids))"; write_env_json; return 0; fi
  if [ ! -s "$SEED_TSV" ] || [ -z "$(sacct -n -X --allusers -S 2000-01-01 -j "$(seed_ids)" -o JobID 2>/dev/null)" ]; then
    log "submitting seed jobs"
    rm -f "$SEED_TSV" "$SEED_TSV.tmp" "$STATE/seed.end"
    date +%s > "$STATE/seed.start"
    # at most 2 CPUs, never more than the node has (a 1-CPU machine would leave a -c2 job pending forever)
    local c=2; [ "$(nproc)" -ge 2 ] || c=1
    cat > "$JOBS/seed-burn.sh" <<'EOF'
#!/bin/bash
# seed-burn.sh N SECONDS: keep N processes busy for SECONDS (real CPU time for TotalCPU)
n=${1:-1} s=${2:-2}
for i in $(seq 1 "$n"); do timeout "$s" sh -c 'while :; do :; done' & done
wait
exit 0
EOF
    chmod 755 "$JOBS/seed-burn.sh"
    local burn=$JOBS/seed-burn.sh pend running
    submit seed-cpu-srun alice physics -p cpu -c "$c" --mem=512M -t 5 \
      --wrap "srun -n1 -c$c $burn $c 3; srun -n1 -c1 true" >/dev/null
    submit seed-cpu-bob bob chemistry -p cpu -c 1 --mem=256M -t 5 --wrap "srun -n1 -c1 $burn 1 2" >/dev/null
    # eligible at once but pends behind the jobs above (it asks for every CPU) and is cancelled before
    # it starts: no allocation. (A held or --begin job would never be eligible and so be absent from
    # -S/-E window queries; that case is left out.)
    pend=$(submit seed-cancel-pending bob chemistry -p cpu -c "$(nproc)" -t 5 --wrap 'sleep 1')
    as_user bob scancel "$pend"
    if [ "$SEED_TIMEOUT" = 1 ]; then  # slurmctld checks limits every 30 s: ends 60-90 s after start
      submit seed-timeout bob chemistry -p cpu -c 1 --mem=100M -t 1 --wrap 'sleep 300' >/dev/null
    fi
    submit seed-gpu1 alice physics -p gpu --gres=gpu:1 -c 1 --mem=256M -t 5 \
      --wrap "echo CUDA_VISIBLE_DEVICES=\$CUDA_VISIBLE_DEVICES; srun -n1 $burn 1 1; sleep 1" >/dev/null
    submit seed-gpu2 bob chemistry -p gpu --gres=gpu:2 -c 1 --mem=1G -t 5 --wrap 'sleep 3' >/dev/null
    submit seed-fail alice chemistry -p cpu -c 1 -t 5 --wrap 'echo failing; sleep 1; exit 3' >/dev/null
    running=$(submit seed-cancel-running bob chemistry -p cpu -c 1 -t 10 --wrap 'sleep 300')
    submit seed-array alice physics -p cpu -c 1 -t 5 --array=1-3 --wrap 'sleep 1' >/dev/null
    mv "$SEED_TSV.tmp" "$SEED_TSV"
    echo $(( $(wc -l < "$SEED_TSV") + 2 )) > "$STATE/seed.expected"   # the array of 3 is 3 records
    if wait_state "$running" RUNNING 180; then sleep 2; fi
    as_user bob scancel "$running" || true
  fi
  log "waiting for seed jobs to finish and reach accounting$([ "$SEED_TIMEOUT" = 1 ] && echo ' (the TIMEOUT job needs ~60-90 s)')"
  local i
  for i in $(seq 1 600); do seed_done && break; sleep 0.5; done
  seed_done || { sacct --allusers -X -j "$(seed_ids)" >&2 || true; die "seed jobs did not finish"; }
  date +%s > "$STATE/seed.end"
  log "seed jobs done: $(seed_ids)"
  write_env_json
}

json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
write_env_json() {  # $SB/env.json: what the system tests need, nothing secret
  local tmp; tmp=$(mktemp)
  {
    echo "{"
    echo "  \"dir\": $(json_str "$SB"),"
    echo "  \"slurmConf\": $(json_str "$SLURM_CONF"),"
    echo "  \"cluster\": $(json_str "$CLUSTER"),"
    echo "  \"restdUrl\": $(json_str "http://127.0.0.1:$REST_PORT"),"
    echo "  \"privateData\": $(json_str "$PRIVATE_DATA"),"
    echo "  \"users\": [\"alice\", \"bob\", \"oper\", \"admin1\"],"
    echo "  \"seedStart\": $(cat "$STATE/seed.start" 2>/dev/null || echo null),"
    echo "  \"seedEnd\": $(cat "$STATE/seed.end" 2>/dev/null || echo null),"
    echo "  \"seedExpectedRecords\": $(cat "$STATE/seed.expected" 2>/dev/null || echo 0),"
    echo "  \"seedJobs\": ["
    local first=1 name u acct id
    if [ -s "$SEED_TSV" ]; then
      while IFS=$'\t' read -r name u acct id; do
        [ $first = 1 ] || echo ","
        first=0
        printf '    {"name": %s, "user": %s, "account": %s, "jobId": %s}' \
          "$(json_str "$name")" "$(json_str "$u")" "$(json_str "$acct")" "$(json_str "$id")"
      done < "$SEED_TSV"
      echo
    fi
    echo "  ]"
    echo "}"
  } > "$tmp"
  mv "$tmp" "$SB/env.json"; chmod 644 "$SB/env.json"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  need_root
  local t0 t1; t0=$(date +%s)
  install_pkgs
  t1=$(date +%s)
  ensure_users
  configure
  start_munge
  start_mariadb
  start_slurmdbd
  setup_accounting
  start_slurmctld
  start_slurmd
  start_slurmrestd
  write_env_json
  seed_jobs
  log "up in $(( $(date +%s) - t0 ))s (package install $(( t1 - t0 ))s, daemons + seed jobs $(( $(date +%s) - t1 ))s)"
  cmd_env
}

cmd_down() {
  need_root
  if pid_alive "$RUN/slurm/slurmctld.pid" slurmctld; then
    local jobs; jobs=$(squeue -h -o %A 2>/dev/null | paste -sd' ' || true)
    if [ -n "$jobs" ]; then log "cancelling jobs: $jobs"; scancel $jobs 2>/dev/null || true; sleep 3; fi
  fi
  # the Slurm daemons together (each takes ~2 s to exit), then what they use
  stop_pid "$RUN/slurmrestd.pid" slurmrestd & stop_pid "$RUN/slurmd.pid" slurmd &
  stop_pid "$RUN/slurm/slurmctld.pid" slurmctld & wait
  stop_pid "$RUN/slurm/slurmdbd.pid" slurmdbd
  stop_pid "$RUN/mysqld/mariadbd.pid" mariadbd
  stop_pid "$RUN/munge/munged.pid" munged
  log "down"
}

cmd_destroy() {
  cmd_down
  case "$SB" in /|/tmp|/var|/etc|/usr|/root|/home|"") die "refusing to delete $SB";; esac
  rm -rf "$SB"; log "removed $SB"
}

cmd_status() {
  local f c rc=0
  for f in munge/munged.pid:munged mysqld/mariadbd.pid:mariadbd slurm/slurmdbd.pid:slurmdbd \
           slurm/slurmctld.pid:slurmctld slurmd.pid:slurmd slurmrestd.pid:slurmrestd; do
    c=${f#*:}
    if pid_alive "$RUN/${f%%:*}" "$c"; then echo "$c running (pid $(cat "$RUN/${f%%:*}"))"; else echo "$c stopped"; rc=1; fi
  done
  return $rc
}

cmd_token() {
  need_root
  local u=${1:?usage: token USER [LIFESPAN_SECONDS]} life=${2:-86400}
  scontrol token username="$u" lifespan="$life" | sed -n 's/^SLURM_JWT=//p'
}

cmd_env() {
  if [ "${1:-}" = --json ]; then
    [ -s "$SB/env.json" ] || die "no $SB/env.json: run '$0 up' first"
    cat "$SB/env.json"; return 0
  fi
  cat <<EOF
export HPC_SLURM_DIR=$SB
export SLURM_CONF=$SLURM_CONF
export SLURM_CLUSTER_NAME=$CLUSTER
export SLURMRESTD_URL=http://127.0.0.1:$REST_PORT
export SLURMDBD_HOST=127.0.0.1
export SLURMDBD_PORT=$DBD_PORT
export HPC_SLURM_USERS="$TEST_USERS"
export HPC_SLURM_SEED_START=$(cat "$STATE/seed.start" 2>/dev/null || echo "")
export HPC_SLURM_SEED_END=$(cat "$STATE/seed.end" 2>/dev/null || echo "")
export HPC_SLURM_SEED_JOBIDS=$( [ -s "$SEED_TSV" ] && seed_ids || echo "")
EOF
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  destroy) cmd_destroy ;;
  status) cmd_status ;;
  token) shift; cmd_token "$@" ;;
  env) shift; cmd_env "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
