#!/usr/bin/env bash
# Every command's output on a ledger, into one folder, for before/after diffs of a refactor:
#   scripts/cli_snapshot.sh .build/release/arlens datasets/sample /tmp/before
# Exit codes are recorded beside each output; stderr is kept too.
set -u
BIN=$(realpath "$1"); DATA=$(realpath "$2"); OUT=$3
mkdir -p "$OUT"; OUT=$(realpath "$OUT")
cd "$(dirname "$0")/.."
run() { # name, args...
  local name=$1; shift
  "$BIN" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"; echo $? > "$OUT/$name.rc"
}
for f in table csv json; do
  run validate.$f validate --data "$DATA" --format $f
  run kpi.$f kpi ar,billings,collections,dso,dso_countback,bpdso,add,cei,pct_over_90,dispute_rate,promise_kept_rate,auto_match_rate --data "$DATA" --format $f
  run kpi-by.$f kpi billings,collections --grain quarter --by segment --data "$DATA" --format $f
  run kpi-list.$f kpi --list --format $f
  run aging.$f aging --data "$DATA" --format $f
  run aging-detail.$f aging --as-of 2026-06-30 --by collector --detail --data "$DATA" --format $f
  run rollforward.$f rollforward --from 2026-07 --to 2026-09 --data "$DATA" --format $f
  run anomalies.$f anomalies --data "$DATA" --format $f
  run anomalies-truth.$f anomalies --data "$DATA" --truth "$DATA/_truth/anomalies.csv" --format $f
  run benford.$f benford "$DATA/invoices.csv" --column amount --format $f
  run benford-corp.$f benford /work/shared/datasets/benford_corporate_payment.csv --column Amount --test first --format $f
  run worklist.$f worklist --data "$DATA" --format $f
  run fees.$f fees --data "$DATA" --format $f
  run credit.$f credit --data "$DATA" --format $f
  run team.$f team --data "$DATA" --format $f
  run plan.$f plan C00037 --installments 6 --data "$DATA" --format $f
  run customer.$f customer C00037 --data "$DATA" --format $f
  run whatif.$f whatif --data "$DATA" --format $f
  run policy.$f policy --data "$DATA" --format $f
  run forecast-kpi.$f forecast kpi dso --data "$DATA" --format $f
  run forecast-cash.$f forecast cash --backtest --data "$DATA" --format $f
  run forecast-series.$f forecast series /work/shared/datasets/shampoo_sales_sktime.csv --date-column Time --value-column Sales --holdout 6 --format $f
done
run summary summary --data "$DATA"
printf "date,balance\n2026-08-31,3500000.00\n2026-09-30,3498277.10\n2026-10-31,4162200.00\n" > "$OUT/gl.csv"
run gl-reconcile reconcile --gl "$OUT/gl.csv" --data "$DATA" --format json
run aging-bad-date aging --as-of 2026-13-01 --data "$DATA"
run kpi-bad kpi nosuch --data "$DATA"
run pack pack --data "$DATA" --out "$OUT/pack"
run notices notices --data "$DATA" --out "$OUT/notices"
run statement statement C00037 --data "$DATA" --out "$OUT/statement.pdf"
run statement-html statement C00037 --data "$DATA" --out "$OUT/statement.html"
run statements statement --all --data "$DATA" --out "$OUT/statements"
run plan-letter plan C00037 --installments 3 --letter "$OUT/plan.pdf" --data "$DATA"
run chart chart dso --out "$OUT/dso.svg" --data "$DATA"
run chart-png chart cei --out "$OUT/cei.png" --data "$DATA"
exit 0
