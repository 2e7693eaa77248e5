"""The one typed state object a session keeps in ``st.session_state``.

Pages read and write fields of :class:`DojoState`; widgets own their own keys and copy
their values here (see :func:`ui.widgets.seed`), so every choice survives a page switch.
Derived values that are costly to compute (profiles, the prepared split, figures) sit in
``memo`` keyed by a fingerprint of their inputs, so a rerun that changes nothing
recomputes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable

import streamlit as st

from core.data import LoadedData
from core.errors import DojoError
from core.i18n import Message

STATE_KEY = "dojo_state"
MEMO_LIMIT = 64


@dataclass
class PredictSource:
    """A model to predict with: one of the session's candidates or a verified bundle."""

    kind: str                       # "session" | "bundle"
    label: str
    pipeline: Any
    metadata: dict[str, Any]
    fingerprint: str                # candidate key or the bundle's sha256
    examples: Any = None            # a DataFrame of typical raw input rows, if known


@dataclass
class DojoState:
    """Everything one browser session has chosen, loaded and trained."""

    language: str = "en"
    # Data
    data: LoadedData | None = None
    upload_token: str | None = None          # file id of the upload behind ``data``
    load_error: tuple[str, Message] | None = None   # (file id, why it failed) of a refused upload
    load_options: dict[str, str] = field(default_factory=dict)   # sheet / hdf_key / npz arrays
    sample_id: str | None = None
    target: str | None = None
    task: str = "auto"
    role_overrides: dict[str, str] = field(default_factory=dict)
    valid_size: float = 0.2
    test_size: float = 0.2
    seed: int = 42
    stratify: bool = True
    time_column: str | None = None
    # Train
    algorithms: list[str] | None = None      # None: the task's defaults
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    job_id: str | None = None
    job_algorithms: list[str] = field(default_factory=list)
    job_setup: Any = None                    # TrainingSetup the running job uses
    results: list[Any] = field(default_factory=list)   # CandidateResult
    results_setup: Any = None                # TrainingSetup the results were trained on
    results_run: str | None = None           # job id that produced ``results`` (keys memo entries)
    results_notice: Message | None = None    # e.g. why the last job stopped
    selected_candidate: str | None = None
    thresholds: dict[str, float] = field(default_factory=dict)   # candidate key -> threshold
    threshold_choices: dict[str, str] = field(default_factory=dict)  # key -> cheapest|standard
    k_sweeps: dict[str, Any] = field(default_factory=dict)   # algorithm -> (inputs, KSweep)
    # Export / Predict
    bundles: dict[str, str] = field(default_factory=dict)   # candidate key -> bundle path
    last_bundle_path: str | None = None
    uploaded_bundle: PredictSource | None = None
    predictions_made: int = 0
    # Requirements (the Requirements page, or a workshop scenario, fills these)
    requirements: dict | None = None         # the requirements card's JSON dict
    costs: dict | None = None                # price of each kind of mistake (MistakeCosts)
    requirements_extras: dict[str, Any] = field(default_factory=dict)   # how the type was chosen
    # Workshop
    guide_open: bool = True                  # the What / Why / How box on each page
    presenter: bool = False                  # facilitator: larger text for a projector
    fixed_seeds: bool = False                # facilitator: seed 42 everywhere
    memo: dict[Any, Any] = field(default_factory=dict)

    def reset_for_new_data(self) -> None:
        """Forget choices tied to the previous table; trained results stay."""
        self.target, self.task, self.time_column = None, "auto", None
        self.role_overrides = {}
        self.algorithms = None

    def remember(self, key: tuple[Any, ...], compute: Callable[[], Any],
                 single: bool = False) -> Any:
        """``compute()`` once per ``key``; later calls return the stored value.

        A DojoError is remembered too (and raised again), so bad input is not
        re-processed on every rerun either. ``single`` keeps only the newest value of
        this kind (``key[0]``), for large values such as profiles and splits.
        """
        if key not in self.memo:
            if single:
                for old in [k for k in self.memo if k[0] == key[0]]:
                    del self.memo[old]
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.pop(next(iter(self.memo)))
            try:
                self.memo[key] = compute()
            except DojoError as exc:
                self.memo[key] = _Failed(exc)
        value = self.memo[key]
        if isinstance(value, _Failed):
            raise value.error
        return value

    def result(self, key: str | None) -> Any:
        """The trained candidate with ``key``, or None."""
        return next((r for r in self.results if r.key == key), None)

    def model_keys(self) -> list[str]:
        """Keys of the successfully trained candidates that are not baselines."""
        return [r.key for r in self.results if r.ok and not r.is_baseline]


@dataclass(frozen=True)
class _Failed:
    error: DojoError


def get_state() -> DojoState:
    """This session's state, created on first use."""
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, DojoState):
        state = _carry_over(state)
        st.session_state[STATE_KEY] = state
    return state


def _carry_over(old: Any) -> DojoState:
    """A fresh state, keeping the values of an object from a reloaded version of this module
    (Streamlit re-imports edited modules while developing; the session should survive that)."""
    state = DojoState()
    if old is not None and type(old).__name__ == "DojoState":
        for item in fields(DojoState):
            if hasattr(old, item.name):
                setattr(state, item.name, getattr(old, item.name))
    return state
