"""Helpers for driving the app in Chromium: start a server, wait for reruns, find keyed widgets,
and the steps most tests share (upload, choose the target, train, download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_SECONDS = 60


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(dojo_home: Path, port: int, log_path: Path) -> subprocess.Popen:
    """``streamlit run app.py`` on ``port`` with its own DOJO_HOME; waits until healthy."""
    env = {**os.environ, "DOJO_HOME": str(dojo_home), "PYTHONUNBUFFERED": "1"}
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"streamlit did not start in {SERVER_START_SECONDS} s; see {log_path}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


IDLE_SCRIPT = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]');
}"""


def wait_idle(page, timeout: float = 60.0) -> None:
    """Wait until the script run triggered by the last action (and any follow-up) ended."""
    time.sleep(0.4)
    for _ in range(2):  # a run may end in st.rerun()/switch_page: check it stays idle
        page.wait_for_function(IDLE_SCRIPT, timeout=timeout * 1000)
        time.sleep(0.4)


def key(page, name: str):
    """The element Streamlit renders for widget/container key ``name``."""
    return page.locator(f".st-key-{name}")


def choose(page, widget_key: str, option_text: str) -> None:
    """Pick ``option_text`` in the selectbox with ``widget_key``."""
    box = key(page, widget_key).get_by_role("combobox").first
    box.click()
    box.fill(option_text)          # long option lists are virtualised: filter first
    page.get_by_role("option", name=option_text, exact=True).first.click()
    wait_idle(page)


HEIGHT_SCRIPT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(main ? main.scrollHeight : 0, document.body.scrollHeight);
}"""
MAX_SHOT_HEIGHT = 8000
SKELETON_GONE = "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"


def shoot(page, name: str, folder: Path = ARTIFACTS) -> Path:
    """A screenshot of the whole page (Streamlit scrolls inside its main area, so the
    viewport is stretched to the content's height first)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    size = page.viewport_size or {"width": 1400, "height": 1000}
    height = min(int(page.evaluate(HEIGHT_SCRIPT)) + 40, MAX_SHOT_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    time.sleep(0.5)
    try:  # widgets newly in view may show a loading skeleton for a moment
        page.wait_for_function(SKELETON_GONE, timeout=5000)
    except Exception:  # a screenshot with a skeleton is still a useful artifact
        pass
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


# --- steps shared by the tests ---------------------------------------------------------------

EXCEPTION = '[data-testid="stException"]'
TRAIN_SECONDS = 180


def nav_link(page, base_url: str, url_path: str):
    href = f"{base_url}/" if url_path == "home" else f"{base_url}/{url_path}"
    return page.locator(f'a[data-testid="stSidebarNavLink"][href="{href}"]')


def go(page, base_url: str, url_path: str) -> None:
    nav_link(page, base_url, url_path).click()
    wait_idle(page)


def no_exception(page) -> None:
    count = page.locator(EXCEPTION).count()
    assert count == 0, page.locator(EXCEPTION).first.inner_text()


def upload_file(page, widget_key: str, path: Path) -> None:
    key(page, widget_key).locator('input[type="file"]').set_input_files(str(path))
    wait_idle(page)


def train_and_wait(page) -> None:
    key(page, "train_button").locator("button").click()
    page.wait_for_selector(".st-key-leaderboard", timeout=TRAIN_SECONDS * 1000)
    wait_idle(page)


def download(page, widget_key: str, folder: Path) -> Path:
    with page.expect_download() as info:
        key(page, widget_key).locator("button").click()
    target = folder / info.value.suggested_filename
    info.value.save_as(str(target))
    return target


def run_predict_py(bundle: Path, rows: Path, folder: Path) -> pd.DataFrame:
    """Unzip the bundle and run its predict.py on ``rows`` in a separate process."""
    unpacked = folder / "bundle"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
    done = subprocess.run([sys.executable, "predict.py", str(rows), "-o", "out.csv"],
                          cwd=unpacked, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return pd.read_csv(unpacked / "out.csv")


def upload_and_train(page, url: str, data: Path, target: str) -> None:
    """From the landing page: upload ``data`` on the Data page, choose ``target``, train the
    default candidates on the Train page and wait for the leaderboard."""
    page.goto(url)
    wait_idle(page)
    go(page, url, "data")
    upload_file(page, "data_upload", data)
    choose(page, "target_column", target)
    no_exception(page)
    go(page, url, "train")
    train_and_wait(page)
    no_exception(page)


def app_and_bundle_predictions(page, url: str, data: Path, folder: Path
                               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Download the Export page's bundle, then predict ``data`` on the Predict page and with
    the bundle's own predict.py; returns (the app's predictions, the bundle's)."""
    go(page, url, "export")
    page.wait_for_selector(".st-key-bundle_download")
    no_exception(page)
    bundle = download(page, "bundle_download", folder)
    assert zipfile.is_zipfile(bundle)
    go(page, url, "predict")
    upload_file(page, "predict_upload", data)
    no_exception(page)
    from_app = pd.read_csv(download(page, "predictions_download", folder), encoding="utf-8-sig")
    return from_app, run_predict_py(bundle, data, folder)
