#!/usr/bin/env python3
"""`make bench`: the same KPI query done by ARLens and by DuckDB (SQL over the same CSVs).

1. Monthly DSO (3-month window) and CEI over every month of a ledger, as metrics.md defines
   them: each document's open balance at a month-end converted once at its own rate, less
   unapplied cash and unallocated credit at theirs. Prints both wall times (CSV reading
   included on both sides), their ratio, and the largest difference between the two answers.
2. An analyst's two questions: `arlens kpi ar,billings,collections,dso,cei` over the last 24
   months, then `arlens aging --by customer`, as two processes; against DuckDB doing the same
   (the CSVs read, the five KPIs for 24 months, aging by customer) in one connection. Both
   ARLens cold (--no-cache: the CSVs parsed by each process) and warm (a current snapshot
   in the ledger's .arlens-cache/), interleaved with DuckDB, median of JOB_RUNS (5).
"""
import json, os, subprocess, sys, time

ledger = sys.argv[1]
arlens = sys.argv[2] if len(sys.argv) > 2 else ".build/release/arlens"
runs = int(os.environ.get("RUNS", "3"))

try:
    import duckdb
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb"], check=True)
    import duckdb

def f(name):
    return os.path.join(ledger, name)

SQL = f"""
CREATE TEMP TABLE inv AS SELECT * FROM read_csv('{f('invoices.csv')}', header=true, auto_detect=true,
    types={{'invoice_id':'VARCHAR','amount':'DECIMAL(18,4)','invoice_number':'VARCHAR'}});
CREATE TEMP TABLE pay AS SELECT * FROM read_csv('{f('payments.csv')}', header=true, auto_detect=true,
    types={{'amount':'DECIMAL(18,4)','reference':'VARCHAR'}});
CREATE TEMP TABLE app AS SELECT * FROM read_csv('{f('applications.csv')}', header=true, auto_detect=true,
    types={{'amount':'DECIMAL(18,4)','applied_date':'DATE'}});
CREATE TEMP TABLE adj AS SELECT * FROM read_csv('{f('adjustments.csv')}', header=true, auto_detect=true,
    types={{'amount':'DECIMAL(18,4)','invoice_id':'VARCHAR'}});
CREATE TEMP TABLE cust AS SELECT * FROM read_csv('{f('customers.csv')}', header=true, auto_detect=true);
CREATE TEMP TABLE fx AS SELECT * FROM read_csv('{f('fx_rates.csv')}', header=true, auto_detect=true,
    types={{'rate':'DECIMAL(18,6)'}});

-- Receivable documents: invoices, debit memos and late fees, each with its own rate.
CREATE TEMP TABLE docs0 AS
  SELECT invoice_id AS id, customer_id, issue_date AS d, due_date AS due, currency, amount FROM inv
  UNION ALL
  SELECT a.adjustment_id, a.customer_id, a.date, a.date + CAST(c.terms_days AS INTEGER), c.currency, a.amount
  FROM adj a JOIN cust c USING (customer_id) WHERE a.kind IN ('debit_memo', 'late_fee');
CREATE TEMP TABLE docs AS
  SELECT d0.*, CASE WHEN d0.currency = 'USD' THEN 1::DECIMAL(18,6) ELSE fx.rate END AS rate
  FROM docs0 d0 ASOF LEFT JOIN fx ON d0.currency = fx.currency AND d0.d >= fx.date;

CREATE TEMP TABLE months AS
  SELECT CAST(last_day(m) AS DATE) AS e, CAST(m AS DATE) AS s
  FROM generate_series((SELECT date_trunc('month', min(d)) FROM docs), (SELECT date_trunc('month', max(d)) FROM docs), INTERVAL 1 MONTH) t(m);

-- Reductions of each document by date, accumulated.
CREATE TEMP TABLE red AS
  SELECT id, d, sum(amount) OVER (PARTITION BY id ORDER BY d) AS cum FROM (
    SELECT id, d, sum(amount) AS amount FROM (
      SELECT ap.invoice_id AS id, coalesce(ap.applied_date, p.received_date) AS d, ap.amount FROM app ap JOIN pay p USING (payment_id)
      UNION ALL
      SELECT invoice_id, date, amount FROM adj WHERE kind IN ('credit_memo', 'write_off') AND invoice_id IS NOT NULL
    ) GROUP BY id, d);

-- Open balance of every document at every month-end since its issue.
CREATE TEMP TABLE docmonth AS SELECT m.e, x.id, x.due, x.rate, x.amount FROM docs x JOIN months m ON x.d <= m.e;
CREATE TEMP TABLE open AS
  SELECT dm.e, dm.due, round((dm.amount - coalesce(r.cum, 0)) * dm.rate, 2) AS base
  FROM docmonth dm ASOF LEFT JOIN red r ON dm.id = r.id AND dm.e >= r.d
  WHERE dm.amount - coalesce(r.cum, 0) <> 0;

-- Unapplied cash per payment and unallocated credit at each month-end, at their own rates.
CREATE TEMP TABLE payr AS
  SELECT p.*, CASE WHEN p.currency = 'USD' THEN 1::DECIMAL(18,6) ELSE fx.rate END AS rate
  FROM pay p ASOF LEFT JOIN fx ON p.currency = fx.currency AND p.received_date >= fx.date;
CREATE TEMP TABLE appcum AS
  SELECT payment_id, d, sum(amount) OVER (PARTITION BY payment_id ORDER BY d) AS cum FROM (
    SELECT ap.payment_id, coalesce(ap.applied_date, p.received_date) AS d, sum(ap.amount) AS amount
    FROM app ap JOIN pay p USING (payment_id) GROUP BY 1, 2);
CREATE TEMP TABLE paymonth AS SELECT m.e, p.payment_id, p.amount, p.rate FROM payr p JOIN months m ON p.received_date <= m.e;
CREATE TEMP TABLE unapplied AS
  SELECT pm.e, sum(round((pm.amount - coalesce(a.cum, 0)) * pm.rate, 2)) AS base
  FROM paymonth pm ASOF LEFT JOIN appcum a ON pm.payment_id = a.payment_id AND pm.e >= a.d GROUP BY pm.e;
CREATE TEMP TABLE credits AS
  SELECT a.date, round(a.amount * CASE WHEN c.currency = 'USD' THEN 1::DECIMAL(18,6) ELSE fx.rate END, 2) AS base
  FROM adj a JOIN cust c USING (customer_id) ASOF LEFT JOIN fx ON c.currency = fx.currency AND a.date >= fx.date
  WHERE a.kind IN ('credit_memo', 'write_off') AND a.invoice_id IS NULL;

CREATE TEMP TABLE ar AS
  SELECT m.e, m.s,
    coalesce((SELECT sum(base) FROM open o WHERE o.e = m.e), 0)
      - coalesce((SELECT base FROM unapplied u WHERE u.e = m.e), 0)
      - coalesce((SELECT sum(base) FROM credits c WHERE c.date <= m.e), 0) AS ar,
    coalesce((SELECT sum(base) FROM open o WHERE o.e = m.e AND o.due >= m.e), 0) AS cur,
    coalesce((SELECT sum(round(amount * rate, 2)) FROM docs x WHERE x.d BETWEEN m.s AND m.e), 0) AS billed
  FROM months m;

SELECT strftime(e, '%Y-%m') AS period,
  CASE WHEN row_number() OVER (ORDER BY e) >= 3 THEN
    ar / sum(billed) OVER (ORDER BY e ROWS 2 PRECEDING) * (e - (lag(s, 2) OVER (ORDER BY e)) + 1) END AS dso,
  (coalesce(lag(ar) OVER (ORDER BY e), 0) + billed - ar) / nullif(coalesce(lag(ar) OVER (ORDER BY e), 0) + billed - cur, 0) * 100 AS cei
FROM ar ORDER BY e;
"""

def duck():
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    *setup, query = [s for s in SQL.split(";") if s.strip()]
    for s in setup:
        con.execute(s)
    return {row[0]: (row[1], row[2]) for row in con.execute(query).fetchall()}

# The analyst's job in DuckDB: the tables and month-end balances above, then AR, billings,
# collections, DSO and CEI for the last 24 months, and aging by customer at the last date.
JOB_SQL = """
CREATE TEMP TABLE as_of AS SELECT greatest((SELECT max(issue_date) FROM inv), (SELECT max(received_date) FROM pay),
    (SELECT max(date) FROM adj)) AS d;
CREATE TEMP TABLE coll AS SELECT m.e, coalesce(sum(round(p.amount * p.rate, 2)), 0) AS collected
  FROM months m LEFT JOIN payr p ON p.received_date BETWEEN m.s AND m.e GROUP BY m.e;
SELECT * FROM (
  SELECT strftime(a.e, '%Y-%m') AS period, a.ar, a.billed, c.collected,
    CASE WHEN row_number() OVER (ORDER BY a.e) >= 3 THEN
      a.ar / sum(a.billed) OVER (ORDER BY a.e ROWS 2 PRECEDING) * (a.e - (lag(a.s, 2) OVER (ORDER BY a.e)) + 1) END AS dso,
    (coalesce(lag(a.ar) OVER (ORDER BY a.e), 0) + a.billed - a.ar) / nullif(coalesce(lag(a.ar) OVER (ORDER BY a.e), 0) + a.billed - a.cur, 0) * 100 AS cei
  FROM ar a JOIN coll c USING (e)) ORDER BY period DESC LIMIT 24;
SELECT x.customer_id,
  sum(CASE WHEN x.late <= 0 THEN b END) AS cur,
  sum(CASE WHEN x.late BETWEEN 1 AND 30 THEN b END) AS d30,
  sum(CASE WHEN x.late BETWEEN 31 AND 60 THEN b END) AS d60,
  sum(CASE WHEN x.late BETWEEN 61 AND 90 THEN b END) AS d90,
  sum(CASE WHEN x.late BETWEEN 91 AND 120 THEN b END) AS d120,
  sum(CASE WHEN x.late > 120 THEN b END) AS older,
  sum(b) AS total
FROM (SELECT y.customer_id, y.at - y.due AS late, round((y.amount - coalesce(r.cum, 0)) * y.rate, 2) AS b
      FROM (SELECT docs.*, as_of.d AS at FROM docs, as_of) y ASOF LEFT JOIN red r ON y.id = r.id AND y.at >= r.d
      WHERE y.amount - coalesce(r.cum, 0) <> 0) x
GROUP BY x.customer_id ORDER BY x.customer_id
"""

def duck_job():
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    *setup, _ = [s for s in SQL.split(";") if s.strip()]
    for s in setup:
        con.execute(s)
    *more, kpi, aging = [s for s in JOB_SQL.split(";") if s.strip()]
    for s in more:
        con.execute(s)
    return con.execute(kpi).fetchall(), con.execute(aging).fetchall()

def best_of(fn):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out

def ours():
    r = subprocess.run([arlens, "kpi", "dso,cei", "--format", "json", "--data", ledger, "--no-cache"], capture_output=True, check=True)
    return json.loads(r.stdout)

t_ours, j = best_of(ours)
t_duck, d = best_of(duck)
diff = 0.0
for row in j["rows"]:
    v = row["value"]
    theirs = d[row["period"]][0 if row["metric"] == "dso" else 1]
    if v is None or theirs is None:
        if (v is None) != (theirs is None):
            diff = float("inf")
        continue
    diff = max(diff, abs(float(v) - float(theirs)))
print(f"arlens kpi dso,cei --no-cache (CSV load included): {t_ours:.3f} s")
print(f"DuckDB {duckdb.__version__}, same query over the same CSVs: {t_duck:.3f} s")
print(f"DuckDB / ARLens: {t_duck / t_ours:.1f}x; largest difference between the answers: {diff:.6f}")

# 2. The analyst's two questions, cold and warm, interleaved with DuckDB.
job_runs = int(os.environ.get("JOB_RUNS", "5"))
last = max(row["period"] for row in j["rows"])
y, m = int(last[:4]), int(last[5:7])
first_index = y * 12 + m - 1 - 23
first = f"{first_index // 12:04d}-{first_index % 12 + 1:02d}"

def two_commands(extra):
    t0 = time.perf_counter()
    subprocess.run([arlens, "kpi", "ar,billings,collections,dso,cei", "--from", first, "--to", last, "--format", "json",
                    "--data", ledger] + extra, capture_output=True, check=True)
    subprocess.run([arlens, "aging", "--by", "customer", "--format", "json", "--data", ledger] + extra,
                   capture_output=True, check=True)
    return time.perf_counter() - t0

def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0

subprocess.run([arlens, "cache", "clear", "--data", ledger], capture_output=True, check=True)
first_run = two_commands([])          # no snapshot yet: the first command writes it, the second reads it
cold, warm, ducks = [], [], []
for _ in range(job_runs):
    ducks.append(timed(duck_job))
    cold.append(two_commands(["--no-cache"]))
    warm.append(two_commands([]))
med = lambda xs: sorted(xs)[len(xs) // 2]
d, c, w = med(ducks), med(cold), med(warm)
print(f"analyst job (kpi ar,billings,collections,dso,cei {first}..{last} + aging --by customer), median of {job_runs}, interleaved:")
print(f"  DuckDB {duckdb.__version__} (CSVs read, same KPIs, aging by customer): {d:.3f} s")
print(f"  ARLens cold, no snapshot (--no-cache, two processes):   {c:.3f} s = {c / d:.2f}x DuckDB")
print(f"  ARLens warm, snapshot present (two processes):          {w:.3f} s = {w / d:.2f}x DuckDB")
print(f"  ARLens first run after arlens cache clear (writes the snapshot, then reads it): {first_run:.3f} s")
