"""The pages of the app and the workflow progress shown in the sidebar and on Home."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.catalog import UNSUPERVISED_TASKS
from ui.i18n import tr
from ui.state import DojoState

APP_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PageSpec:
    """One page: its script (relative to app.py), title key, icon and URL."""

    file: str
    title_key: str
    icon: str
    url_path: str


# In workflow order. A page whose script does not exist yet is left out, so the pages
# later issues add (requirements, algorithms, inspect, experiments) appear by being written.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "app.nav.home", ":material/home:", "home"),
    PageSpec("pages/requirements.py", "app.nav.requirements", ":material/checklist:", "requirements"),
    PageSpec("pages/algorithms.py", "app.nav.algorithms", ":material/category:", "algorithms"),
    PageSpec("pages/data.py", "app.nav.data", ":material/table_chart:", "data"),
    PageSpec("pages/train.py", "app.nav.train", ":material/model_training:", "train"),
    PageSpec("pages/inspect.py", "app.nav.inspect", ":material/search_insights:", "inspect"),
    PageSpec("pages/export.py", "app.nav.export", ":material/download:", "export"),
    PageSpec("pages/predict.py", "app.nav.predict", ":material/online_prediction:", "predict"),
    PageSpec("pages/experiments.py", "app.nav.experiments", ":material/history:", "experiments"),
)


def available_pages() -> list[PageSpec]:
    return [spec for spec in PAGES if (APP_DIR / spec.file).is_file()]


def build_pages() -> list[st.Page]:
    """``st.Page`` objects with titles in the session's language; Home is the default."""
    return [st.Page(spec.file, title=tr(spec.title_key), icon=spec.icon, url_path=spec.url_path,
                    default=(spec.url_path == "home"))
            for spec in available_pages()]


@dataclass(frozen=True)
class Step:
    """One workflow step with whether it is done."""

    page: str          # script, e.g. "pages/data.py"
    title_key: str
    hint_key: str
    done: bool


def workflow_steps(state: DojoState) -> list[Step]:
    """The steps from data to prediction, each marked done from the session state."""
    trained = any(r.ok and not r.is_baseline for r in state.results)
    return [
        Step("pages/data.py", "app.step.data", "app.step.data_hint", state.data is not None),
        Step("pages/data.py", "app.step.target", "app.step.target_hint",
             state.data is not None and (state.target is not None
                                         or state.task in UNSUPERVISED_TASKS)),  # "no target"
        Step("pages/train.py", "app.step.train", "app.step.train_hint", trained),
        Step("pages/export.py", "app.step.export", "app.step.export_hint", bool(state.bundles)),
        Step("pages/predict.py", "app.step.predict", "app.step.predict_hint",
             state.predictions_made > 0),
    ]


def next_step(steps: list[Step]) -> Step | None:
    return next((step for step in steps if not step.done), None)


def step_marker(step: Step, upcoming: Step | None) -> str:
    if step.done:
        return f":green[:material/check_circle:] {tr(step.title_key)} — {tr('app.step.done')}"
    if step is upcoming:
        return f":orange[:material/arrow_forward:] **{tr(step.title_key)}** — {tr('app.step.next')}"
    return f":gray[:material/radio_button_unchecked:] :gray[{tr(step.title_key)}]"


def render_progress(state: DojoState) -> None:
    """The workflow as a checklist (sidebar)."""
    steps = workflow_steps(state)
    upcoming = next_step(steps)
    st.markdown(f"**{tr('app.sidebar.progress')}**")
    st.markdown("\n".join(f"- {step_marker(step, upcoming)}" for step in steps))
