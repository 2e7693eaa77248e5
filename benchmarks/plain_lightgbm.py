"""The plain script the training benchmark compares against: no Model Dojo code at all.

Loads the CSV, splits it 60/20/20 with the same seed, fits LightGBM with the same
parameters, threads and early stopping, and predicts the validation rows.
"""

from __future__ import annotations

import sys

import lightgbm
import numpy as np
import pandas as pd

path, threads = sys.argv[1], int(sys.argv[2])
frame = pd.read_csv(path)
rng = np.random.default_rng(42)
order = rng.permutation(len(frame))
n_test, n_valid = int(len(frame) * 0.2), int(len(frame) * 0.2)
test, valid, train = order[:n_test], order[n_test:n_test + n_valid], order[n_test + n_valid:]
X, y = frame.drop(columns="target"), frame["target"]
model = lightgbm.LGBMRegressor(n_estimators=500, learning_rate=0.1, num_leaves=31,
                               min_child_samples=20, reg_lambda=1.0, n_jobs=threads,
                               random_state=42, verbose=-1)
model.fit(X.iloc[train], y.iloc[train], eval_set=[(X.iloc[valid], y.iloc[valid])],
          callbacks=[lightgbm.early_stopping(50, verbose=False)])
predictions = model.predict(X.iloc[valid])
print(f"rmse {np.sqrt(np.mean((predictions - y.iloc[valid]) ** 2)):.4f}")
