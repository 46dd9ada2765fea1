#!/usr/bin/env python3
"""An arlens binary on the forecast panel through the CLI, beside the peers' scores.

Usage: python3 scripts/panel_cli.py [arlens binary] [panel dir]
Runs `arlens forecast series FILE --holdout H --format json` for every series of the panel at
H = 12 and 24, and prints mean and median MASE and sMAPE, the geometric mean of ARLens's MASE
over each peer's, the 80%/95% interval coverage and the time per process. Standard library only."""
import csv, json, math, statistics, subprocess, sys, time

arlens = sys.argv[1] if len(sys.argv) > 1 else ".build/release/arlens"
panel = sys.argv[2] if len(sys.argv) > 2 else "../shared/datasets/forecast-panel"
peers = {}
with open(f"{panel}/peer_scores.csv") as f:
    for r in csv.DictReader(f):
        peers.setdefault((r["series"], int(r["h"])), {})[r["method"]] = (float(r["mase"]), float(r["smape"]))
names = ["AutoETS", "AutoARIMA", "AutoTheta", "SeasonalNaive"]
ours, times, inside, points = {}, [], {12: [0, 0], 24: [0, 0]}, {12: 0, 24: 0}
with open(f"{panel}/panel.csv") as f:
    series = list(csv.DictReader(f))
for s in series:
    for h in (12, 24):
        if (s["series"], h) not in peers:   # the peers scored h=24 only where the series is long enough
            continue
        t0 = time.perf_counter()
        out = subprocess.run([arlens, "forecast", "series", f"{panel}/{s['file']}", "--date-column", "month",
                              "--value-column", "value", "--holdout", str(h), "--format", "json"],
                             capture_output=True, text=True, check=True).stdout
        times.append(time.perf_counter() - t0)
        d = json.loads(out)
        ours[(s["series"], h)] = (d["accuracy"]["mase"], d["accuracy"]["smape"])
        with open(f"{panel}/{s['file']}") as g:
            actual = [float(r["value"]) for r in csv.DictReader(g)][-h:]
        for a, r in zip(actual, d["forecast"]):
            points[h] += 1
            inside[h][0] += r["lo80"] <= a <= r["hi80"]
            inside[h][1] += r["lo95"] <= a <= r["hi95"]
print(f"forecast panel through the CLI: {len(series)} series ({points[24] // 24} at h=24), {arlens}")
print(f"{'':14s} {'MASE12':>9s} {'med12':>9s} {'sMAPE12':>9s} {'gm12':>9s} {'MASE24':>9s} {'med24':>9s} {'sMAPE24':>9s} {'gm24':>9s}")
for name in ["ARLens"] + names:
    cells = []
    for h in (12, 24):
        keys = [(s["series"], h) for s in series if (s["series"], h) in peers]
        sc = [ours[k] if name == "ARLens" else peers[k][name] for k in keys]
        gm = math.exp(statistics.fmean(math.log(ours[k][0] / (ours[k][0] if name == "ARLens" else peers[k][name][0])) for k in keys))
        cells += [statistics.fmean(x[0] for x in sc), statistics.median(x[0] for x in sc), statistics.fmean(x[1] for x in sc), gm]
    print(f"{name:14s} " + " ".join(f"{c:9.3f}" for c in cells))
for h in (12, 24):
    print(f"h={h}: interval coverage 80% {100 * inside[h][0] / points[h]:.1f}%, 95% {100 * inside[h][1] / points[h]:.1f}% ({points[h]} points)")
print(f"time per process: median {statistics.median(times):.3f} s, mean {statistics.fmean(times):.3f} s, max {max(times):.3f} s")
