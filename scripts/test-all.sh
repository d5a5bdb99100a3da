#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL (a throwaway cluster). Under CI=true a missing
# PostgreSQL is a failure; elsewhere the run says it covered SQLite only.
set -uo pipefail
cd "$(dirname "$0")/.."
export LVZE_DATA_DIR="${LVZE_DATA_DIR:-$PWD/var}"

echo "== 测试：SQLite =="
.venv/bin/pytest -p no:cacheprovider
sqlite_rc=$?

echo "== 测试：PostgreSQL =="
# Browser journeys run once, on SQLite; the rest of the suite runs again on PostgreSQL.
scripts/with-postgres.sh .venv/bin/pytest -p no:cacheprovider -m "not browser"
pg_rc=$?
if [ "$pg_rc" = "3" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true 时缺少 PostgreSQL 视为失败" >&2
  else
    echo "未找到 PostgreSQL：本次只在 SQLite 上运行了测试。"
    pg_rc=0
  fi
fi

if [ "$sqlite_rc" != "0" ] || [ "$pg_rc" != "0" ]; then
  echo "测试失败（SQLite: $sqlite_rc, PostgreSQL: $pg_rc）" >&2
  exit 1
fi
echo "SQLite 与 PostgreSQL 上的测试均已通过。"
