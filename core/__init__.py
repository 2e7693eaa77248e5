"""Model Dojo's engine: pure Python, never imports streamlit."""

import os

# OpenMP threads (LightGBM, XGBoost, HistGradientBoosting) spin while they wait by default.
# In a server where page threads, the experiment store and several training jobs share
# the cores, spinning threads starve each other: measured 2.5x slower LightGBM fits on a
# busy 2-core machine. Sleeping waits cost little when the machine is idle. Set before any
# OpenMP library loads; an explicit setting by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
