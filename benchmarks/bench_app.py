"""Rerun cost of every page with a 500,000-row dataset loaded, alone and beside a training job.

Usage: python benchmarks/bench_app.py [--rows 500000] [--features 40] [--reruns 15]

Two figures (issue 3):
1. the median script run time of a rerun that changes nothing, per page (goal <= 100 ms);
2. two sessions in one server process: one trains LightGBM on the dataset in the shared
   worker pool while the other reruns its page; the other's median (goal <= 300 ms).
Sessions are driven with Streamlit's AppTest, which runs app.py the way the server does
(in one process, sharing the training pool); a run's time is the script run plus AppTest's
own small bookkeeping, so the figures are upper bounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DOJO_HOME", tempfile.mkdtemp(prefix="dojo-bench-app-"))
os.environ.setdefault("DOJO_MAX_UPLOAD_MB", "4096")
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")   # AppTest's bare-mode warnings

import streamlit.testing.v1.app_test as app_test_module  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from streamlit.logger import set_log_level  # noqa: E402

from _common import numeric_table  # noqa: E402
from core.jobs import get_pool  # noqa: E402

PAGES = ("home", "requirements", "algorithms", "data", "train", "inspect", "export", "predict",
         "experiments")


class _NavigationPagesManager(PagesManager):
    # Keep st.navigation routing across AppTest runs, as a live server does
    # (see tests/pages/conftest.py for the why).
    def __init__(self, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


def new_session(data: Path) -> AppTest:
    """A session with the dataset uploaded and its target chosen."""
    app_test_module.PagesManager = _NavigationPagesManager
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(
        (data.name, data.read_bytes(), "application/octet-stream")).run()
    at.selectbox(key="target_column").set_value("target").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def timed_reruns(at: AppTest, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def train(at: AppTest, algorithms: list[str], wait: bool) -> str:
    at.switch_page("pages/train.py").run()
    at.multiselect(key="algorithms").set_value(algorithms).run()
    at.button(key="train_button").click().run()
    job_id = at.session_state["dojo_state"].job_id
    if wait:
        get_pool().wait(job_id, timeout=1800)
        at.run()
    return job_id


def main() -> None:
    set_log_level("error")   # AppTest's "missing ScriptRunContext" warnings
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--features", type=int, default=40)
    parser.add_argument("--reruns", type=int, default=15)
    args = parser.parse_args()
    data = Path(os.environ["DOJO_HOME"]) / f"bench_{args.rows}.parquet"
    numeric_table(args.rows, args.features).to_parquet(data)

    quiet = new_session(data)
    train(quiet, ["decision_tree"], wait=True)   # so Train, Inspect and Export have a model
    print(f"\nrerun that changes nothing, {args.rows:,} x {args.features} loaded "
          f"(median of {args.reruns}, ms)")
    for page in PAGES:
        quiet.switch_page(f"pages/{page}.py").run()
        quiet.run()   # first visit computes and caches; the figure is for reruns
        samples = timed_reruns(quiet, args.reruns)
        failed = " (exception on page)" if quiet.exception else ""
        print(f"  {page:<12} {statistics.median(samples):8.1f}{failed}")

    busy = new_session(data)
    quiet.switch_page("pages/data.py").run()
    job_id = train(busy, ["lightgbm"], wait=False)
    samples: list[float] = []
    while get_pool().status(job_id).state in ("queued", "running") and len(samples) < 200:
        samples.extend(timed_reruns(quiet, 1))
    print(f"\nother session's reruns (Data page) while one trains LightGBM: median "
          f"{statistics.median(samples):.1f} ms over {len(samples)} reruns")
    get_pool().wait(job_id, timeout=1800)


if __name__ == "__main__":
    main()
