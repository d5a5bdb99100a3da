#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: a private directory and port, stopped afterwards.
# As root the server runs as the `postgres` user. Exit 3 when no PostgreSQL server binaries exist.
set -euo pipefail

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  echo "找不到 PostgreSQL 服务器程序（initdb）" >&2
  exit 3
fi

port="${LVZE_PG_PORT:-54329}"
workdir="$(mktemp -d /tmp/lvze-pg.XXXXXX)"
run_as=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$workdir/data" -U lvze --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U lvze lvze

export DATABASE_URL="postgres://lvze@127.0.0.1:$port/lvze"
"$@"
