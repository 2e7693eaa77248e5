"""Model Dojo's engine: pure Python, never imports streamlit."""

import os
import subprocess
from pathlib import Path

# OpenMP threads (LightGBM, XGBoost, HistGradientBoosting) spin while they wait by default.
# In a server where page threads, the experiment store and several training jobs share
# the cores, spinning threads starve each other: measured 2.5x slower LightGBM fits on a
# busy 2-core machine. Sleeping waits cost little when the machine is idle. Set before any
# OpenMP library loads; an explicit setting by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"


def code_commit() -> tuple[str, bool | None]:
    """The git commit of the checkout holding core/, and whether it has local changes."""
    repo = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        """git's output, or None where git or the checkout is missing."""
        try:
            done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                                  text=True, timeout=20, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit:
        return "unknown", None
    status = git("status", "--porcelain", "--untracked-files=no")
    return commit, (bool(status) if status is not None else None)
