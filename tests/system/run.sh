#!/usr/bin/env bash
# run.sh — hpc-accounting's system tests (vitest project `system`: tests/system/**/*.test.ts) against real
# services on this machine: a single-node Slurm 22.05 with accounting and slurmrestd (tests/system/slurm/up.sh).
#
#   bash tests/system/run.sh [vitest args...]     e.g. bash tests/system/run.sh tests/system/slurm.test.ts
#
# Must run as root (it installs Debian packages, creates users and starts daemons); otherwise it says why and
# exits 0 having run nothing. Exit code: vitest's (1 if the services could not be brought up).
# Environment: SLURM_KEEP=1 leaves Slurm running afterwards (stop it with `bash tests/system/slurm/up.sh down`);
# HPC_SLURM_* are passed on to up.sh (state dir, ports; see its header); SYSTEM_TEST_TIMEOUT (seconds, 1800).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
UP="$ROOT/tests/system/slurm/up.sh"
log() { echo "[system $(date +%T)] $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  echo "tests/system/run.sh: skipped: the system tests must run as root (they install Debian packages, create users" \
       "and start munge, MariaDB and the Slurm daemons); run it with sudo or as root"
  exit 0
fi

cd "$ROOT" || exit 1
export HPC_SLURM_DIR=${HPC_SLURM_DIR:-/tmp/hpc-accounting-slurm}

started=0
finish() {
  local rc=$?
  if [ "$started" = 1 ]; then
    if [ "${SLURM_KEEP:-0}" = 1 ]; then
      log "SLURM_KEEP=1: Slurm left running (state in $HPC_SLURM_DIR; stop it with: bash tests/system/slurm/up.sh down)"
    else
      bash "$UP" down || log "warning: 'up.sh down' failed"
    fi
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

# JavaScript dependencies (a fresh clone has none)
if [ ! -e node_modules/vitest/package.json ]; then
  log "node_modules missing: installing the workspace's dependencies"
  frozen=""; [ -f pnpm-lock.yaml ] && frozen="--frozen-lockfile"
  # shellcheck disable=SC2086
  npx -y pnpm@10.34.9 install $frozen || { log "dependency install failed"; exit 1; }
fi

# Debian packages (when missing) + daemons + seed jobs; up.sh is idempotent
started=1
t0=$(date +%s)
if ! bash "$UP" up >/dev/null; then
  log "bringing Slurm up failed; last lines of its logs:"
  for f in "$HPC_SLURM_DIR"/log/{slurmdbd.log,slurmctld.log,slurmd.log,slurmrestd.log,mariadb.err}; do
    [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
fi
log "Slurm up in $(( $(date +%s) - t0 ))s; running the system tests"
export HPC_SLURM_REQUIRED=1   # a test that cannot find the cluster fails instead of skipping

if [ -x node_modules/.bin/vitest ]; then
  vitest=(npx vitest)
else
  vitest=(node node_modules/vitest/vitest.mjs)  # an install without .bin links
fi
t1=$(date +%s)
timeout --foreground -k 30 "${SYSTEM_TEST_TIMEOUT:-1800}" "${vitest[@]}" run --project system "$@"
rc=$?
log "vitest exited $rc after $(( $(date +%s) - t1 ))s"
exit "$rc"
