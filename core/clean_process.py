"""A clean Python process for a bundle's ``predict.py``: nothing of this repository on its path.

``check`` proves a bundle works on its own by running ``predict.py`` in such a process.
Most of that run is importing pandas, scikit-learn and the model's library, so ``train``
starts the process early (:class:`WarmInterpreter`): it imports those libraries while
the trainer scores the test rows and writes the bundle, then runs ``predict.py`` exactly
as ``python predict.py ...`` would, as ``__main__`` with the bundle folder as its working
directory and first path entry. It never imports anything from this repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 600

# What the warm interpreter runs: import the named modules, then wait for the script to run.
_WARM_CODE = """
import importlib, json, os, runpy, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        pass
job = json.loads(sys.stdin.readline() or "null")
if job is None:
    sys.exit(0)
os.chdir(job["cwd"])
sys.argv = job["argv"]
sys.path[0] = job["cwd"]
runpy.run_path(job["argv"][0], run_name="__main__")
"""


def clean_environment() -> dict[str, str]:
    """This process's environment without what would make the repository importable."""
    return {name: value for name, value in os.environ.items()
            if name not in ("PYTHONPATH", "PYTHONSTARTUP")}


def run(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """``python *argv`` in a fresh interpreter with ``folder`` as its working directory."""
    command = [sys.executable, *argv]
    try:
        return subprocess.run(command, cwd=folder, env=clean_environment(), capture_output=True,
                              text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(command, -1, "", f"timed out after {exc.timeout} s")


class WarmInterpreter:
    """A clean interpreter started now that imports ``modules``, and runs one script later.

    Parameters
    ----------
    folder : Path
        Where the script will be (an empty folder now, e.g. a temporary one); the process
        starts there, so not even the caller's working directory is on its path.
    modules : list of str
        Modules to import ahead (a failing import is ignored: the script will say).
    """

    def __init__(self, folder: Path, modules: list[str]) -> None:
        self.folder = folder
        self._process: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", _WARM_CODE, *modules], cwd=folder, env=clean_environment(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` (script first) in the warm process, or in a fresh one if it died."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return run(argv, self.folder)
        job = json.dumps({"cwd": str(self.folder), "argv": argv}) + "\n"
        try:
            out, err = process.communicate(job, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return subprocess.CompletedProcess(argv, -1, "", f"timed out after {TIMEOUT_SECONDS} s")
        except OSError:     # it died between poll() and the write
            return run(argv, self.folder)
        return subprocess.CompletedProcess(argv, process.returncode, out, err)

    def close(self) -> None:
        """Stop the process if it never ran anything."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.communicate()
