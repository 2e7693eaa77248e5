"""Training jobs as the pages see them: start one, show its progress, collect its results.

The work runs in core.jobs' shared pool; the page only polls. A finished job's results
move into the session state exactly once (:func:`collect_finished`), so a rerun never
retrains anything.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.catalog import get as get_algorithm
from core.i18n import Message, catalog
from core.jobs import CANCELLED, FAILED, QUEUED, JobContext, JobStatus, get_pool
from ui.i18n import text_of, tr
from ui.state import DojoState, get_state

POLL_SECONDS = 1.0


def start_job(state: DojoState, setup: Any, algorithm_ids: list[str],
              params: dict[str, dict[str, Any]]) -> str:
    """Queue a training run of ``algorithm_ids`` (plus baselines) on ``setup``."""
    from core.training import train_candidates

    def run(context: JobContext) -> list[Any]:
        return train_candidates(setup, list(algorithm_ids), params=params or None,
                                include_baselines=True, progress=context.progress,
                                cancel=context.cancel)

    job_id = get_pool().submit(run, label=f"{setup.data_name}: {', '.join(algorithm_ids)}")
    state.job_id, state.job_setup, state.job_algorithms = job_id, setup, list(algorithm_ids)
    state.results_notice = None
    return job_id


def job_status(state: DojoState) -> JobStatus | None:
    return get_pool().status(state.job_id) if state.job_id else None


def is_busy(state: DojoState) -> bool:
    status = job_status(state)
    return status is not None and not status.finished


def collect_finished(state: DojoState) -> bool:
    """Move a finished job's results into the state (once). True when something moved."""
    if state.job_id is None:
        return False
    pool = get_pool()
    status = pool.status(state.job_id)
    if status is not None and not status.finished:
        return False
    results = pool.result(state.job_id) if status is not None else None
    if status is not None and status.state == FAILED:
        state.results_notice = status.error
    elif status is not None and status.state == CANCELLED:
        state.results_notice = Message("app.train.cancelled_notice")
    if results:
        state.results, state.results_setup = list(results), state.job_setup
        state.results_run = state.job_id
        state.bundles = {}
        state.selected_candidate = best_key(state)
    pool.forget(state.job_id)
    state.job_id, state.job_setup = None, None
    return True


def best_key(state: DojoState) -> str | None:
    from core.training import best_candidate

    try:
        best = best_candidate(state.results, state.results_setup.task)
    except Exception:  # no candidate succeeded: nothing to preselect
        return None
    return getattr(best, "key", None)


STAGE_ICONS: dict[str, str] = {"running": ":material/progress_activity:",
                                "done": ":green[:material/check_circle:]",
                                "failed": ":red[:material/error:]",
                                "waiting": ":gray[:material/schedule:]"}


def stage_text(stage: str) -> str:
    key = f"app.stage.{stage}"
    return tr(key) if key in catalog() else stage


def candidate_name(key: str) -> str:
    """Display name for a progress key such as "lightgbm" or "baseline:stratified"."""
    algorithm_id, _, variant = key.partition(":")
    try:
        name = text_of(get_algorithm(algorithm_id).names)
    except Exception:
        return key
    return f"{name} ({variant})" if variant else name


def candidate_lines(status: JobStatus, algorithm_ids: list[str]) -> list[str]:
    """One line per candidate: the ones reported so far, then those still waiting."""
    stages = {key: stage for key, (stage, _) in status.progress.items()}
    for algorithm_id in algorithm_ids:
        stages.setdefault(algorithm_id, "waiting")
    return [f"{STAGE_ICONS.get(stage, '')} {candidate_name(key)} — {stage_text(stage)}"
            for key, stage in stages.items()]


def render_status(status: JobStatus, algorithm_ids: list[str]) -> None:
    if status.state == QUEUED:
        st.info(tr("app.train.queued", position=status.position), icon=":material/hourglass_top:")
        return
    done = max((fraction for _, fraction in status.progress.values()), default=0.0)
    st.progress(done, text=tr("app.train.running", seconds=f"{status.elapsed_seconds:.0f}",
                              percent=f"{100 * done:.0f}"))
    st.markdown("  \n".join(candidate_lines(status, algorithm_ids)))


@st.fragment(run_every=POLL_SECONDS)
def job_panel() -> None:
    """Live progress of the session's job; hands over to a full rerun when it ends."""
    state = get_state()
    status = job_status(state)
    if status is None or status.finished:
        if collect_finished(state):
            st.rerun()
        return
    with st.container(border=True, key="job_progress"):
        render_status(status, state.job_algorithms)
        if st.button(tr("app.train.cancel"), key="cancel_job", icon=":material/stop_circle:"):
            get_pool().cancel(status.job_id)
            st.rerun(scope="fragment")
