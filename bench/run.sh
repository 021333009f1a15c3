#!/usr/bin/env bash
# Reproduce BENCHMARKS.md: PostgreSQL, `hrhelper serve --workers 2`, N vacancies seeded, then
# load on list/search/detail/stats, memory per worker and EXPLAIN of the search.
#   bench/run.sh [count]        (needs PostgreSQL on 127.0.0.1:5432 with trust auth)
# Environment: SEED=database (default: batched inserts) or SEED=api (one POST per vacancy,
# 32 concurrent clients); BENCH_DB (database name), PORT, DURATION, CONCURRENCY, SCENARIOS
# (comma list, default all: list,list_filtered,search,detail,stats,health,detail+logins).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-100000}"
DB="${BENCH_DB:-hrhelper_bench}"
PORT="${PORT:-8765}"
ADMIN="bench-admin@example.com"
PASSWORD="Bench-passw0rd"
BIN=.venv/bin
export ENVIRONMENT=production LOG_LEVEL=WARNING
export SECRET_KEY="bench-secret-key-bench-secret-key-0123456789"
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB"
export DATABASE_POOL_SIZE=10
export CURRENCY_RATES_URL=""  # no scheduled call to the bank during a benchmark
# the detail+logins scenario signs in back to back: lift the login limits for this server only
export LOGIN_LIMIT_PER_IP=1000000/60 LOGIN_LIMIT_PER_ACCOUNT=1000000/60

psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $DB"
$BIN/hrhelper migrate
$BIN/hrhelper createsuperuser --email "$ADMIN" --password "$PASSWORD" --no-input

$BIN/hrhelper serve --host 127.0.0.1 --port "$PORT" --workers 2 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/api/health/" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/api/health/" >/dev/null || { echo "the server did not start" >&2; exit 1; }

if [ "${SEED:-database}" = api ]; then
  $BIN/python -m bench.seed --base-url "http://127.0.0.1:$PORT" --count "$COUNT" \
    --email "$ADMIN" --password "$PASSWORD" --concurrency 32
else
  $BIN/python -m bench.seed --database-url "$DATABASE_URL" --count "$COUNT"
fi
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "VACUUM ANALYZE"

$BIN/python -m bench.load --base-url "http://127.0.0.1:$PORT" --email "$ADMIN" \
  --password "$PASSWORD" --duration "${DURATION:-20}" --concurrency "${CONCURRENCY:-32}" \
  ${SCENARIOS:+--scenarios "$SCENARIOS"}

echo
echo "memory per server process (RSS, MiB):"
ps -o pid=,rss=,args= --ppid "$SERVER" | awk '{printf "  pid %s: %.0f MiB\n", $1, $2/1024}'

echo
SEARCH="lower(name || ' ' || external_id || ' ' || invite_title || ' ' || scorecard_title) LIKE '%питон%'"
echo "EXPLAIN ANALYZE of a search: the count, then the first page (the two queries of the list):"
psql -h 127.0.0.1 -U postgres -d "$DB" -c "EXPLAIN ANALYZE SELECT count(*) FROM vacancies WHERE $SEARCH"
psql -h 127.0.0.1 -U postgres -d "$DB" -c "EXPLAIN ANALYZE SELECT vacancies.*, users.email
  FROM vacancies LEFT OUTER JOIN users ON users.id = vacancies.recruiter_id WHERE $SEARCH
  ORDER BY vacancies.created_at DESC, vacancies.id DESC LIMIT 20"
