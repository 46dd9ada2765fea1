#!/usr/bin/env python3
"""Writes N draft invoices for `arlens precheck` benchmarks, from a ledger folder:
mostly new invoices to random customers dated the ledger's last date (with the customer's
latest PO when it has one), plus exact copies of
recent ledger invoices (new ids) and copies of earlier drafts, so the duplicate checks have
work to do. Seeded: the same ledger gives the same drafts.

    scripts/make_drafts.py LEDGER_DIR OUT.csv [N]
"""
import csv, random, sys, datetime

def main():
    ledger, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    rnd = random.Random(24)
    customers = []
    with open(f"{ledger}/customers.csv", newline="") as f:
        for r in csv.DictReader(f):
            customers.append((r["customer_id"], int(r.get("terms_days") or 30), r.get("currency") or ""))
    recent = []
    last = ""
    last_po = {}
    with open(f"{ledger}/invoices.csv", newline="") as f:
        for r in csv.DictReader(f):
            last = max(last, r["issue_date"])
            if r.get("po_number"):
                last_po[r["customer_id"]] = r["po_number"]
            recent.append(r)
            if len(recent) > 5000:
                recent = recent[-2000:]
    day = datetime.date.fromisoformat(last)
    rows = []
    copies_of_ledger = n // 20
    copies_of_drafts = n // 20
    for k in range(n - copies_of_ledger - copies_of_drafts):
        cid, terms, cur = rnd.choice(customers)
        amount = f"{rnd.randint(100, 20000)}"
        # Customers who give POs get their latest one.
        rows.append([f"DRAFT-{k + 1:05d}", cid, day.isoformat(), (day + datetime.timedelta(days=terms)).isoformat(), amount, cur, last_po.get(cid, "")])
    for k in range(copies_of_ledger):
        r = rnd.choice(recent[-2000:])
        rows.append([f"DRAFT-L{k + 1:04d}", r["customer_id"], r["issue_date"], r["due_date"], r["amount"], r.get("currency", ""), r.get("po_number", "")])
    for k in range(copies_of_drafts):
        r = rnd.choice(rows[: n - copies_of_ledger - copies_of_drafts])
        rows.append([f"DRAFT-D{k + 1:04d}"] + r[1:])
    rnd.shuffle(rows)
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["invoice_id", "customer_id", "issue_date", "due_date", "amount", "currency", "po_number"])
        w.writerows(rows)

if __name__ == "__main__":
    main()
