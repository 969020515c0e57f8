"""scikit-learn reference for brightpath-learn.

Reads the CSV written by
    cargo run -p brightpath-learn --example export_features -- OUT.csv
fits the same two models on the same time-based split (one-hot encoding
fitted on the training rows, unseen categories as zeros; Ridge(alpha=1.0)
with an unpenalised intercept) and prints the same metrics as linfa's run.

    python3 fit.py OUT.csv
"""

import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import OneHotEncoder

LAMBDA = 1.0

LENGTH_CATS = ["child", "course", "subject", "hour", "weekday", "child_daypart"]
ENGAGEMENT_CATS = ["child", "subject", "child_subject", "hour", "weekday", "child_daypart"]
LENGTH_NUMS = ["planned_hours", "position", "recent_difficulty_c", "shared"]
ENGAGEMENT_NUMS = ["planned_hours", "position", "recent_difficulty_c"]


def features(df):
    df = df.copy()
    df["hour"] = df["hour"].astype(str).str.zfill(2)
    df["child_daypart"] = df["child"] + "|" + df["daypart"]
    df["child_subject"] = df["child"] + "|" + df["subject"]
    df["planned_hours"] = df["planned"] / 60.0
    df["recent_difficulty_c"] = df["recent_difficulty"] - 3.0
    return df


def model(cats, nums):
    enc = ColumnTransformer(
        [("onehot", OneHotEncoder(handle_unknown="ignore"), cats)],
        remainder="drop",
    )
    num = ColumnTransformer([("num", "passthrough", nums)], remainder="drop")
    return make_pipeline(FeatureUnion([("cats", enc), ("nums", num)]), Ridge(alpha=LAMBDA))


def metrics(pred, truth):
    pred, truth = np.asarray(pred, float), np.asarray(truth, float)
    mae = np.mean(np.abs(pred - truth))
    rmse = np.sqrt(np.mean((pred - truth) ** 2))
    # Average ranks for ties, as brightpath-learn; 0 for a constant side.
    rho = pd.Series(pred).corr(pd.Series(truth), method="spearman") if np.ptp(pred) > 0 else 0.0
    return mae, rmse, rho


def show(name, m):
    print(f"  {name:<18} MAE {m[0]:.4f}  RMSE {m[1]:.4f}  Spearman {m[2]:.4f}")


def split(df, label, title):
    """Rows with the label, and their train and test parts as exported."""
    lab = df[df[label].notna()]
    train = lab[lab[f"split_{title.lower()}"] == "train"]
    test = lab[lab[f"split_{title.lower()}"] == "test"]
    print(f"{title}: train {train['week'].nunique()} weeks / {len(train)} rows, "
          f"test {test['week'].nunique()} weeks / {len(test)} rows")
    return lab, train, test


def lengths(df):
    lab, train, test = split(df, "minutes", "Lengths")
    pipe = model(LENGTH_CATS, LENGTH_NUMS)
    pipe.fit(train, np.log(train["minutes"] / train["planned"]))
    pred = test["planned"] * np.exp(pipe.predict(test))
    show("scikit-learn ridge", metrics(pred, test["minutes"]))
    show("planned", metrics(test["planned"], test["minutes"]))
    # Running mean per child x course: every length known before the day.
    running = []
    for _, r in test.iterrows():
        before = lab[(lab["child"] == r["child"]) & (lab["course"] == r["course"]) & (lab["date"] < r["date"])]
        running.append(before["minutes"].mean() if len(before) else r["planned"])
    show("child_course_mean", metrics(running, test["minutes"]))


def engagement(df):
    _, train, test = split(df, "engagement", "Engagement")
    pipe = model(ENGAGEMENT_CATS, ENGAGEMENT_NUMS)
    pipe.fit(train, train["engagement"])
    pred = np.clip(pipe.predict(test), 1.0, 5.0)
    show("scikit-learn ridge", metrics(pred, test["engagement"]))
    means = train.groupby("child")["engagement"].mean()
    base = test["child"].map(means).fillna(train["engagement"].mean())
    show("child_mean", metrics(base, test["engagement"]))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fit.py FEATURES.csv")
    df = features(pd.read_csv(sys.argv[1], dtype={"hour": str}))
    lengths(df)
    engagement(df)


if __name__ == "__main__":
    main()
