"""The plain script the prediction benchmark compares against: load, predict, write."""

from __future__ import annotations

import sys

import joblib
import pandas as pd

model_path, input_path, output_path = sys.argv[1:4]
model = joblib.load(model_path)
frame = pd.read_csv(input_path).drop(columns=["target"], errors="ignore")
pd.DataFrame({"prediction": model.predict(frame)}).to_csv(output_path, index=False)
