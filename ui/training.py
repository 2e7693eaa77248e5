"""Training jobs as the pages see them: start one, show its progress, collect its results.

The work runs in core.jobs' shared pool; the page only polls. Every candidate is recorded
in the experiment store (core.tracking) as it finishes. A finished job's results move into
the session state exactly once (:func:`collect_finished`), so a rerun never retrains
anything. Derived decisions about the results (the advisor's picks before training, the
cost-aware threshold after it) are memoised in the state as well.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import streamlit as st

from core.catalog import DEFAULT_CANDIDATES, get as get_algorithm, ids_for_task
from core.errors import DojoError
from core.i18n import Message, catalog
from core.jobs import CANCELLED, FAILED, QUEUED, JobContext, JobStatus, get_pool
from ui.i18n import text_of, tr
from ui.state import DojoState, get_state

POLL_SECONDS = 1.0


def start_job(state: DojoState, setup: Any, algorithm_ids: list[str],
              params: dict[str, dict[str, Any]]) -> str:
    """Queue a training run of ``algorithm_ids`` (plus baselines) on ``setup``.

    Each candidate becomes a run in the experiment store, all under one job id (the
    Experiments page restores them together); the requirements card goes with them.
    """
    from core.tracking import train_and_record

    record_job = uuid.uuid4().hex[:12]   # unique across restarts, unlike the pool's ids
    card = dict(state.requirements) if state.requirements else None

    def run(context: JobContext) -> list[Any]:
        return train_and_record(setup, list(algorithm_ids), params or None,
                                include_baselines=True, progress=context.progress,
                                cancel=context.cancel, job=record_job, requirements=card)

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
        state.thresholds, state.threshold_choices = {}, {}   # they belonged to the old models
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


# --- before training: the advisor's picks ------------------------------------------------------

def advisor_picks(state: DojoState, task: str) -> list[str]:
    """The advisor's top trainable picks for the session's card and data ([] without a card).

    Only algorithms that can train for ``task`` count; a card for another problem type
    than the data's gives no picks.
    """
    from core.advisor import advise, top_picks
    from core.requirements import parse_card_dict
    from ui.data_source import current_profile, data_fingerprint
    from ui.requirements_card import card_fingerprint

    if not state.requirements or state.data is None:
        return []
    key = ("advisor_picks", card_fingerprint(state), data_fingerprint(state), state.target,
           state.task, tuple(sorted(state.role_overrides.items())), task)

    def compute() -> list[str]:
        card = parse_card_dict(state.requirements)
        if card.problem_type != task:
            return []
        options = ids_for_task(task)
        picks = top_picks(advise(card, current_profile(state)))
        return [pick for pick in picks if pick in options]

    try:
        return state.remember(key, compute)
    except DojoError:   # a card that no longer parses: the catalog's defaults will do
        return []


def default_algorithms(state: DojoState, task: str) -> tuple[list[str], bool]:
    """What the Train page starts with: (ids, whether they are the advisor's picks)."""
    picks = advisor_picks(state, task)
    if picks:
        return picks, True
    return list(DEFAULT_CANDIDATES.get(task, [])), False


# --- after training: the cost-aware decision threshold -------------------------------------

CHEAPEST, STANDARD = "cheapest", "standard"


def is_binary(setup: Any) -> bool:
    return setup is not None and setup.task == "classification" and len(setup.classes or []) == 2


def mistake_costs(state: DojoState) -> Any:
    """The session's MistakeCosts, or None when no usable costs are given."""
    from core.threshold import MistakeCosts

    if not state.costs:
        return None
    try:
        costs = MistakeCosts.from_value(state.costs)
    except DojoError:
        return None
    return costs if costs.false_positive + costs.false_negative > 0 else None


def threshold_sweep(state: DojoState, key: str) -> Any:
    """The threshold sweep of candidate ``key`` under the session's costs (memoised).

    None when it does not apply (no costs, not binary, a baseline); raises DojoError when
    the model cannot be swept (e.g. it gives no probabilities).
    """
    from core.threshold import sweep_candidate

    setup, result, costs = state.results_setup, state.result(key), mistake_costs(state)
    if costs is None or result is None or not result.ok or result.is_baseline \
            or not is_binary(setup):
        return None
    memo_key = ("threshold", state.results_run, key, tuple(sorted(costs.to_dict().items())))
    return state.remember(memo_key, lambda: sweep_candidate(setup, result, costs))


def sync_threshold(state: DojoState, key: str) -> float | None:
    """Bring ``state.thresholds[key]`` in line with the costs and the user's choice."""
    try:
        sweep = threshold_sweep(state, key)
    except DojoError:
        sweep = None
    if sweep is None or state.threshold_choices.get(key, CHEAPEST) != CHEAPEST:
        state.thresholds.pop(key, None)
    else:
        state.thresholds[key] = float(sweep.best_threshold)
    return state.thresholds.get(key)


def _metrics_at(setup: Any, result: Any, part: str, threshold: float) -> dict[str, Any]:
    """``result``'s scores on ``part`` when it decides at ``threshold`` (as predict.py will)."""
    from core.evaluation import classification_metrics
    from core.threshold import apply_threshold
    from core.training import classify

    classes = list(setup.classes)
    X, y = setup.part(part)
    _, proba, scores = classify(result.pipeline, X, classes, result.is_baseline)
    labels = apply_threshold(proba[:, 1], classes, threshold)
    return classification_metrics(y, labels, classes, proba, scores)


def as_deployed(state: DojoState, result: Any) -> Any:
    """``result`` as it will be handed over: its scores at its decision threshold, if any.

    Scores that move with the threshold (accuracy, recall, F1, ...) are taken at it, on the
    validation rows and, once scored, on the test rows; the model itself is the same.
    """
    threshold = state.thresholds.get(getattr(result, "key", None))
    if threshold is None or not result.ok or not is_binary(state.results_setup):
        return result
    parts = tuple(part for part in ("validation", "test") if result.metrics.get(part))
    memo = ("deployed", state.results_run, result.key, threshold, parts)

    def compute() -> Any:
        metrics = dict(result.metrics)
        for part in parts:
            metrics[part] = _metrics_at(state.results_setup, result, part, threshold)
        return dataclasses.replace(result, metrics=metrics)

    return state.remember(memo, compute)
