"""A clean interpreter for predict.py: nothing of the repository importable, warm or cold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import clean_process

SCRIPT = """
import json, os, sys
try:
    import core
    repository = True
except ImportError:
    repository = False
print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "path0": sys.path[0],
                  "repository": repository, "name": __name__,
                  "preloaded": "json" in sys.modules and "csv" in sys.modules}))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Even with the repository on PYTHONPATH here, the clean process must not see it.
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    path = tmp_path / "bundle"
    path.mkdir()
    return path


def test_the_warm_interpreter_runs_the_script_as_python_script_would(folder: Path) -> None:
    interpreter = clean_process.WarmInterpreter(folder, ["csv", "no_such_module_at_all"])
    (folder / "script.py").write_text(SCRIPT, encoding="utf-8")   # written after the start
    done = interpreter.run(["script.py", "3"])
    assert done.returncode == 3, done.stderr
    seen = json.loads(done.stdout)
    assert seen["argv"] == ["script.py", "3"] and seen["name"] == "__main__"
    assert Path(seen["cwd"]) == folder.resolve() and Path(seen["path0"]) == folder
    assert seen["repository"] is False and seen["preloaded"] is True


def test_the_cold_run_sees_the_same_clean_world(folder: Path) -> None:
    (folder / "script.py").write_text(SCRIPT, encoding="utf-8")
    done = clean_process.run(["script.py"], folder)
    assert done.returncode == 0, done.stderr
    assert '"repository": false' in done.stdout


def test_a_warm_interpreter_that_died_falls_back_to_a_fresh_one(folder: Path) -> None:
    interpreter = clean_process.WarmInterpreter(folder, [])
    assert interpreter._process is not None
    interpreter._process.kill()
    interpreter._process.wait()
    (folder / "script.py").write_text(SCRIPT, encoding="utf-8")
    done = interpreter.run(["script.py"])
    assert done.returncode == 0 and '"repository": false' in done.stdout


def test_a_script_that_fails_reports_its_traceback(folder: Path) -> None:
    (folder / "broken.py").write_text("raise RuntimeError('model file missing')\n")
    done = clean_process.WarmInterpreter(folder, []).run(["broken.py"])
    assert done.returncode == 1 and "model file missing" in done.stderr


def test_close_stops_an_unused_interpreter(folder: Path) -> None:
    interpreter = clean_process.WarmInterpreter(folder, [])
    process = interpreter._process
    interpreter.close()
    assert process is not None and process.poll() is not None
