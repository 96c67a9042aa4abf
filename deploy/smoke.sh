#!/usr/bin/env bash
# Start the production configuration once, as docs/deploy.md does, and check it from outside:
#   the documented environment (deploy/motcua.env.example, each CHANGE-ME a fresh secret), migrate,
#   collectstatic, check --deploy, an officer, gunicorn; then the TLS redirect, the security headers,
#   Secure + HttpOnly cookies, one login, hashed static files, /healthz, the worker and the
#   scheduler, every stand-in answering 404 — and the same start with a development secret refused
#   with the list of problems. Fails loudly at the first thing that is wrong.
#
#   deploy/smoke.sh                     SQLite in a temporary folder
#   SMOKE_DATABASE_URL=postgres://… deploy/smoke.sh   an empty PostgreSQL database (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
WORK=$(mktemp -d)
PORT=${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
GUNICORN_PID=
WORKER_PID=
started=$(date +%s)

fail() { echo "SMOKE FAILED: $*" >&2; [ -f "$WORK/gunicorn.log" ] && tail -n 40 "$WORK/gunicorn.log" >&2; exit 1; }
cleanup() {
  for pid in $GUNICORN_PID $WORKER_PID; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null; rm -rf "$WORK"
}
trap cleanup EXIT

# The environment file an operator writes from the template.
{
  while IFS= read -r line; do
    while [[ $line == *CHANGE-ME* ]]; do line=${line/CHANGE-ME/$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}; done
    printf '%s\n' "$line"
  done < deploy/motcua.env.example
  echo "DATABASE_URL=${SMOKE_DATABASE_URL:-sqlite:///$WORK/motcua.sqlite3}"
  echo "MOTCUA_DATA_DIR=$WORK/data"
  echo "MOTCUA_KEY_DIR=$WORK/data/keys"
  echo "MOTCUA_PUBLIC_URL=https://127.0.0.1:$PORT"
} > "$WORK/motcua.env"

# Run a command with only that file's environment (as systemd's EnvironmentFile= does).
PROD=(env -i PATH="$PATH" HOME="$WORK" LANG=C.UTF-8 bash -c 'set -a; . "$0"; set +a; exec "$@"' "$WORK/motcua.env")
prod() { "${PROD[@]}" "$@"; }

echo "== production start: migrate, collectstatic, check --deploy, an officer"
prod "$BIN/motcua" migrate --noinput > "$WORK/migrate.log" || { cat "$WORK/migrate.log"; fail "migrate"; }
prod "$BIN/motcua" collectstatic --noinput > /dev/null || fail "collectstatic"
prod "$BIN/motcua" check --deploy --fail-level WARNING || fail "check --deploy reported a problem"
prod env DJANGO_SUPERUSER_PASSWORD=smoke-Passw0rd-2026 "$BIN/motcua" createsuperuser --noinput \
  --username smoke-admin --email smoke@example.gov.vn > /dev/null || fail "createsuperuser"

echo "== gunicorn on $BASE"
( exec "${PROD[@]}" "$BIN/gunicorn" motcua.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 120 --error-logfile "$WORK/gunicorn.log" ) &
GUNICORN_PID=$!  # gunicorn's master itself (exec all the way down)
for _ in $(seq 50); do curl -s -o /dev/null "$BASE/healthz" && break; sleep 0.2; done
curl -s -o /dev/null "$BASE/healthz" || fail "gunicorn did not answer"

TLS=(-H "X-Forwarded-Proto: https")  # what the reverse proxy adds
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect() { local want=$1; shift; local got; got=$(status "$@"); [ "$got" = "$want" ] || fail "$* answered $got, expected $want"; }
has() { grep -qiE "$2" <<< "$1" || fail "missing: $2"; }

echo "== plain HTTP is redirected to HTTPS; the security headers"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE/dang-nhap/")" = "301 https://127.0.0.1:$PORT/dang-nhap/" ] \
  || fail "plain HTTP was not redirected to HTTPS"
headers=$(curl -s -D - -o "$WORK/login.html" -c "$WORK/cookies" "${TLS[@]}" "$BASE/dang-nhap/")
has "$headers" "^HTTP/1.1 200"
for directive in "default-src 'self'" "script-src 'self'" "style-src 'self'" "object-src 'none'" "frame-ancestors 'none'"; do
  has "$headers" "^content-security-policy:(.*; )? ?$directive(;|\s*$)"
done
grep -qi "^content-security-policy:.*unsafe-inline" <<< "$headers" && fail "the CSP allows inline code"
has "$headers" "^strict-transport-security: max-age=31536000; includeSubDomains; preload"
has "$headers" "^referrer-policy: same-origin"
has "$headers" "^x-content-type-options: nosniff"
has "$headers" "^x-frame-options: DENY"
has "$headers" "^set-cookie: csrftoken=[^;]+;.*HttpOnly;.*Secure"

echo "== static files: hashed names, cached for good"
css=$(grep -o '/static/motcua/site\.[0-9a-f]\{12\}\.css' "$WORK/login.html" | head -n1)
[ -n "$css" ] || fail "the page does not link a hashed stylesheet"
has "$(curl -s -D - -o /dev/null "${TLS[@]}" "$BASE$css")" "^cache-control: max-age=315360000, public, immutable"

token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$WORK/login.html" | head -n1 | sed 's/.*value="//; s/"$//')
echo "== every stand-in answers 404, also to a post that passes the CSRF check"
for path in /thanh-toan/gia-lap/ /thanh-toan/gia-lap/quoc-gia/ /_quoc-gia/dong-bo/; do
  expect 404 "${TLS[@]}" "$BASE$path"
  expect 404 "${TLS[@]}" -b "$WORK/cookies" -H "Origin: https://127.0.0.1:$PORT" \
    --data-urlencode "csrfmiddlewaretoken=$token" -d outcome=pay "$BASE$path"
done

echo "== one login"
login=$(curl -s -D - -o /dev/null -b "$WORK/cookies" -c "$WORK/cookies" "${TLS[@]}" -H "Origin: https://127.0.0.1:$PORT" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=smoke-admin" \
  --data-urlencode "password=smoke-Passw0rd-2026" "$BASE/dang-nhap/")
has "$login" "^HTTP/1.1 302"
has "$login" "^set-cookie: sessionid=[^;]+;.*HttpOnly;.*Secure"
expect 200 -b "$WORK/cookies" "${TLS[@]}" "$BASE/admin/"

echo "== /healthz: the database, then the worker's heartbeat while the scheduler's tasks run"
has "$(curl -s "$BASE/healthz")" '"database": \{"ok": true\}, "worker": \{"ok": false'
expect 503 "$BASE/healthz"
prod "$BIN/motcua" schedule > "$WORK/schedule.log" || { cat "$WORK/schedule.log"; fail "motcua schedule"; }
prod "$BIN/motcua" db_worker --queue-name '*' > "$WORK/worker.log" 2>&1 & WORKER_PID=$!
for _ in $(seq 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && break; sleep 0.5; done
expect 200 "$BASE/healthz"
kill "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true; WORKER_PID=

echo "== the same start with a development secret is refused, listing the problems"
kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; GUNICORN_PID=
sed -i 's/^MOTCUA_SECRET_KEY=.*/MOTCUA_SECRET_KEY=dev-only-insecure-key-change-me-in-production/; s/^MOTCUA_TEST_PKI=.*/MOTCUA_TEST_PKI=1/' \
  "$WORK/motcua.env"
: > "$WORK/gunicorn.log"
if prod timeout 60 "$BIN/gunicorn" motcua.wsgi --bind "127.0.0.1:$PORT" --workers 1 --error-logfile "$WORK/gunicorn.log"; then
  fail "gunicorn started with a development secret"
fi
grep -q "motcua không khởi động: 2 vấn đề cấu hình" "$WORK/gunicorn.log" || fail "gunicorn's refusal does not list the problems"
grep -q "MOTCUA_SECRET_KEY đang là giá trị phát triển" "$WORK/gunicorn.log" || fail "the secret key is not named"
if prod "$BIN/motcua" db_worker --batch 2> "$WORK/refused.txt"; then fail "db_worker started with a development secret"; fi
grep -q "MOTCUA_TEST_PKI đang bật" "$WORK/refused.txt" || fail "db_worker's refusal does not list the test PKI"
sed 's/^/  /' "$WORK/refused.txt"

echo "production smoke: passed in $(( $(date +%s) - started )) s"
