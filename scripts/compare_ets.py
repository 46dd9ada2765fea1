#!/usr/bin/env python3
"""Our automatic ETS against statsforecast's AutoETS and seasonal naive on the same holdout.

Usage: python3 scripts/compare_ets.py [arlens binary]   (needs `pip install statsforecast`)
Series: ../shared/datasets/airline_passengers_sktime.csv (holdout 12) and
shampoo_sales_sktime.csv (holdout 6). Prints MAPE, sMAPE and MASE for each."""
import json, subprocess, sys
import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoETS, SeasonalNaive

arlens = sys.argv[1] if len(sys.argv) > 1 else ".build/release/arlens"
cases = [("../shared/datasets/airline_passengers_sktime.csv", "Date", "Passengers", 12),
         ("../shared/datasets/shampoo_sales_sktime.csv", "Time", "Sales", 6)]

def scores(actual, fc, train, m):
    actual, fc, train = map(np.asarray, (actual, fc, train))
    e = actual - fc
    lag = m if len(train) > 2 * m else 1
    scale = np.mean(np.abs(train[lag:] - train[:-lag]))
    return (np.mean(np.abs(e / actual)) * 100, np.mean(2 * np.abs(e) / (np.abs(actual) + np.abs(fc))) * 100,
            np.mean(np.abs(e)) / scale)

for path, dcol, vcol, h in cases:
    df = pd.read_csv(path)
    y = df[vcol].astype(float).values
    train, test = y[:-h], y[-h:]
    ours = json.loads(subprocess.run([arlens, "forecast", "series", path, "--date-column", dcol, "--value-column", vcol,
                                      "--holdout", str(h), "--format", "json"], capture_output=True, check=True).stdout)
    ours_fc = [r["value"] for r in ours["forecast"]]
    sf_df = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2000-01-01", periods=len(train), freq="MS"), "y": train})
    sf = StatsForecast(models=[AutoETS(season_length=12), SeasonalNaive(season_length=12)], freq="MS")
    f = sf.forecast(df=sf_df, h=h)
    for name, fc in [(f"ARLens {ours['model']}", ours_fc), ("statsforecast AutoETS", f["AutoETS"].values),
                     ("seasonal naive", f["SeasonalNaive"].values)]:
        mape, smape, mase = scores(test, fc, train, 12)
        print(f"{path.split('/')[-1]:36s} h={h:2d}  {name:28s} MAPE {mape:6.2f}  sMAPE {smape:6.2f}  MASE {mase:5.3f}")
