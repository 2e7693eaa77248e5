"""Helpers that drive the app through AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.jobs import get_pool

JOB_TIMEOUT = 120


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def state(at: AppTest):
    return at.session_state["dojo_state"]


def upload(at: AppTest, path: Path, key: str = "data_upload") -> AppTest:
    at.file_uploader(key=key).set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def load_sample(at: AppTest, sample: str = "iris") -> AppTest:
    open_page(at, "data")
    at.selectbox(key="sample_dataset").set_value(sample).run()
    assert not at.exception
    return at


def wait_for_job(at: AppTest) -> AppTest:
    """Let the session's training job finish, then rerun so the page collects it."""
    job_id = state(at).job_id
    if job_id is not None:
        get_pool().wait(job_id, timeout=JOB_TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def train(at: AppTest, algorithms: list[str]) -> AppTest:
    open_page(at, "train")
    at.multiselect(key="algorithms").set_value(algorithms).run()
    at.button(key="train_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return wait_for_job(at)


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)
