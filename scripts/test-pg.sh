#!/usr/bin/env bash
# The API suite against a throwaway PostgreSQL: started here, stopped whatever the outcome. Extra arguments go to vitest.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
url="$("$root/scripts/postgres.sh" start)" || exit 1
trap '"$root/scripts/postgres.sh" stop' EXIT
cd "$root" && TEST_DATABASE_URL="$url" npx vitest run --project api "$@"
