#!/usr/bin/env python3
"""A large ledger for `make bench`: N invoices, about N payments and N applications.

Quick and deterministic (seeded); realistic field widths, not realistic behaviour.
`arlens generate --scale invoices=N` is the realistic generator."""
import argparse, os, random, datetime

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--invoices", type=int, default=1_000_000)
ap.add_argument("--customers", type=int, default=5000)
ap.add_argument("--seed", type=int, default=7)
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = random.Random(a.seed)
start = datetime.date(2024, 11, 1).toordinal()
iso = [datetime.date.fromordinal(start + d).isoformat() for d in range(800)]
users = ["maria", "tom", "sam", "lee", "dana"]

with open(os.path.join(a.out, "customers.csv"), "w") as f:
    f.write("customer_id,name,email,phone,country,currency,credit_limit,terms_days,segment,region,collector\n")
    for c in range(a.customers):
        f.write(f"C{c:05d},Customer {c} Ltd,ap{c}@example.com,+1 555 {c:07d},US,USD,{rng.randint(5, 500) * 1000}.00,"
                f"{rng.choice([15, 30, 30, 45, 60])},{rng.choice(['small', 'mid', 'enterprise'])},"
                f"{rng.choice(['West', 'East', 'South', 'North'])},{rng.choice(users)}\n")

inv = open(os.path.join(a.out, "invoices.csv"), "w")
pay = open(os.path.join(a.out, "payments.csv"), "w")
app = open(os.path.join(a.out, "applications.csv"), "w")
inv.write("invoice_id,customer_id,invoice_number,issue_date,due_date,amount,currency,po_number,sent_date,created_by,created_at\n")
pay.write("payment_id,customer_id,received_date,amount,currency,method,reference,posted_date,posted_by\n")
app.write("payment_id,invoice_id,amount,applied_date\n")
ib, pb, ab = [], [], []
for i in range(a.invoices):
    c = rng.randrange(a.customers)
    d = (i * 730) // a.invoices
    cents = rng.randint(1000, 5_000_000)
    amt = f"{cents // 100}.{cents % 100:02d}"
    ib.append(f"INV-{i:07d},C{c:05d},{i + 100000},{iso[d]},{iso[d + 30]},{amt},USD,PO-{c}-{i % 9973},"
              f"{iso[d + rng.randint(0, 3)]},{users[i % 5]},{iso[d]}T{9 + i % 9:02d}:{i % 60:02d}:00\n")
    if rng.random() < 0.97:
        r = min(d + rng.randint(5, 70), 799)
        pb.append(f"PAY-{i:07d},C{c:05d},{iso[r]},{amt},USD,{rng.choice(['ach', 'wire', 'check'])},INV {i + 100000},{iso[min(r + 1, 799)]},sam\n")
        ab.append(f"PAY-{i:07d},INV-{i:07d},{amt},\n")
    if len(ib) >= 50000:
        inv.write("".join(ib)); pay.write("".join(pb)); app.write("".join(ab)); ib, pb, ab = [], [], []
inv.write("".join(ib)); pay.write("".join(pb)); app.write("".join(ab))
for f in (inv, pay, app):
    f.close()
print(f"wrote {a.out}")
