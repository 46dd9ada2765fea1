#!/usr/bin/env bash
# `make bench-postgres`: the PostgreSQL source and --pushdown against the CSV folder, on a
# throw-away cluster in a temporary folder (Unix socket only), removed at the end.
#   scripts/bench_postgres.sh ARLENS LEDGER_DIR [BIG_ROWS]
# LEDGER_DIR is a generated ledger (make bench writes the 1M-invoice one). With BIG_ROWS
# (e.g. 10000000), a ledger of that many invoices is generated under BENCH_BIG_DIR (default
# .build-bench-data/BIG_ROWS; never committed), exported, and aggregated with --pushdown only,
# with the ARLens process's peak memory. Every section prints the load average beside it (the
# machine may be shared), and the in-memory and --pushdown runs alternate, twice each.
set -euo pipefail
ARLENS=${1:?arlens binary}
DATA=${2:?ledger folder}
BIG=${3:-}

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/initdb" ] || BIN=$(dirname "$(command -v initdb)")
PGDIR=$(mktemp -d /tmp/arlens-bench-pg-XXXXXX)
RUN=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDIR"; RUN=(runuser -u postgres --); fi
cleanup() { "${RUN[@]}" "$BIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
"${RUN[@]}" "$BIN/initdb" -D "$PGDIR/data" -U arlens --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
"${RUN[@]}" "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c work_mem=256MB -c max_wal_size=8GB" start >/dev/null
URL="postgresql://arlens@/postgres?host=$PGDIR"
CFG=()
[ -f "$DATA/arlens.yml" ] && CFG=(--config "$DATA/arlens.yml")

# Wall seconds and peak RSS (MB) of one run; output discarded. With a key, the fastest run
# of that key (and its memory) is kept for the summary table.
declare -A BEST BESTMB
measure() {
  local label=$1 key=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$PGDIR/time" "$@" > /dev/null
  read -r secs kb < "$PGDIR/time"
  printf '%-58s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
  if [ -n "$key" ] && { [ -z "${BEST[$key]:-}" ] || awk -v a="$secs" -v b="${BEST[$key]}" 'BEGIN { exit !(a < b) }'; }; then
    BEST[$key]=$secs; BESTMB[$key]=$((kb / 1024))
  fi
}
cell() { printf '%s s, %s MB' "${BEST[$1]:-?}" "${BESTMB[$1]:-?}"; }
ratio() { awk -v a="${BEST[$1]:-0}" -v b="${BEST[$2]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "?" }'; }

echo "== export $DATA to PostgreSQL"
measure "arlens export (1 transaction, keys, indexes)" export "$ARLENS" export --data "$DATA" --to "$URL&schema=ar" --replace
"$BIN/psql" -X -q -h "$PGDIR" -U arlens -d postgres -c "VACUUM ANALYZE" >/dev/null

echo "== load: every table, CSV folder vs PostgreSQL (arlens summary), $(uptime | sed 's/.*load/load/')"
for round in 1 2; do
  measure "summary --data FOLDER (the CSV files, no snapshot)" load_csv "$ARLENS" summary --data "$DATA" --no-cache
  measure "summary --data postgresql://" load_pg "$ARLENS" summary --data "$URL&schema=ar" "${CFG[@]}"
done

echo "== COPY out of the invoices table, as the source reads it (csv, no ORDER BY: the rows lie in arlens_row order) and the other formats"
for q in "csv|" "text|" "binary|" "csv| ORDER BY arlens_row"; do
  fmt=${q%%|*} order=${q#*|}
  /usr/bin/time -f "%e" -o "$PGDIR/time" "$BIN/psql" -X -q -h "$PGDIR" -U arlens -d postgres \
    -c "COPY (SELECT * FROM ar.invoices$order) TO STDOUT WITH (FORMAT $fmt)" > "$PGDIR/copy.out"
  printf '%-58s %8.2f s %8d MB\n' "COPY invoices$order TO STDOUT (FORMAT $fmt)" "$(cat "$PGDIR/time")" $(( $(stat -c %s "$PGDIR/copy.out") / 1048576 ))
  rm -f "$PGDIR/copy.out"
done

KPIS=ar,billings,collections,credit_memos,write_offs,bad_debt_ratio,turnover
echo "== kpi $KPIS (24 months) and aging --by customer: in memory (CSV folder, PostgreSQL) vs --pushdown"
for round in 1 2; do
  echo "-- round $round, $(uptime | sed 's/.*load/load/')"
  measure "kpi, in memory from the CSV folder" kpi_csv "$ARLENS" kpi "$KPIS" --data "$DATA" --format csv
  measure "kpi, in memory from PostgreSQL (--no-pushdown)" kpi_pg "$ARLENS" kpi "$KPIS" --no-pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv
  measure "kpi --pushdown" kpi_push "$ARLENS" kpi "$KPIS" --pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv
  measure "aging --by customer, in memory from the CSV folder" aging_csv "$ARLENS" aging --by customer --data "$DATA" --format csv
  measure "aging --by customer, in memory from PostgreSQL (--no-pushdown)" aging_pg "$ARLENS" aging --by customer --no-pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv
  measure "aging --by customer --pushdown" aging_push "$ARLENS" aging --by customer --pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv
done
"$ARLENS" kpi "$KPIS" --data "$DATA" --format csv > "$PGDIR/a.csv"
"$ARLENS" kpi "$KPIS" --pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv > "$PGDIR/b.csv" 2> "$PGDIR/b.err"
cmp -s "$PGDIR/a.csv" "$PGDIR/b.csv" && echo "kpi: --pushdown output identical to the in-memory output" || { echo "kpi: OUTPUTS DIFFER"; cat "$PGDIR/b.err"; }
"$ARLENS" aging --by customer --data "$DATA" --format csv > "$PGDIR/a.csv"
"$ARLENS" aging --by customer --pushdown --data "$URL&schema=ar" "${CFG[@]}" --format csv > "$PGDIR/b.csv" 2> "$PGDIR/b.err"
cmp -s "$PGDIR/a.csv" "$PGDIR/b.csv" && echo "aging: --pushdown output identical to the in-memory output" || { echo "aging: OUTPUTS DIFFER"; cat "$PGDIR/b.err"; }

if [ -n "$BIG" ]; then
  BIGDIR=${BENCH_BIG_DIR:-.build-bench-data/$BIG}
  echo "== $BIG invoices in $BIGDIR, $(uptime | sed 's/.*load/load/')"
  [ -f "$BIGDIR/invoices.csv" ] || measure "generate $BIG invoices" "" "$ARLENS" generate --out "$BIGDIR" --scale invoices="$BIG"
  measure "export $BIG invoices" big_export "$ARLENS" export --data "$BIGDIR" --to "$URL&schema=big" --replace
  "$BIN/psql" -X -q -h "$PGDIR" -U arlens -d postgres -c "VACUUM ANALYZE" >/dev/null
  BCFG=()
  [ -f "$BIGDIR/arlens.yml" ] && BCFG=(--config "$BIGDIR/arlens.yml")
  measure "kpi --pushdown ($BIG invoices)" big_kpi "$ARLENS" kpi "$KPIS" --pushdown --data "$URL&schema=big" "${BCFG[@]}" --format csv
  measure "aging --by customer --pushdown ($BIG invoices)" big_aging "$ARLENS" aging --by customer --pushdown --data "$URL&schema=big" "${BCFG[@]}" --format csv
fi

# The issue's table: the fastest of the runs above (wall time, the ARLens process's peak memory).
echo
echo "== summary ($(basename "$DATA") ledger; fastest of each; $(uptime | sed 's/.*load/load/'))"
echo "| | CSV folder | PostgreSQL, in memory | PostgreSQL, --pushdown | ratio |"
echo "|---|---|---|---|---|"
echo "| load every table (summary) | $(cell load_csv) | $(cell load_pg) | | PostgreSQL / folder $(ratio load_pg load_csv) |"
echo "| kpi $KPIS | $(cell kpi_csv) | $(cell kpi_pg) | $(cell kpi_push) | --pushdown / in memory from PostgreSQL $(ratio kpi_push kpi_pg) |"
echo "| aging --by customer | $(cell aging_csv) | $(cell aging_pg) | $(cell aging_push) | --pushdown / in memory from PostgreSQL $(ratio aging_push aging_pg) |"
if [ -n "$BIG" ]; then
  echo "| $BIG invoices: kpi / aging --pushdown | | | $(cell big_kpi) / $(cell big_aging) | |"
fi
