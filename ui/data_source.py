"""Loading data into the session (uploads and samples) and the derived profile and split.

Everything here is memoised by the data's content fingerprint (sha256) and the choices
that matter, so a rerun neither reloads the file nor profiles or splits it again.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from core.data import LoadedData, LoadOptions, load_table
from core.errors import DojoError
from core.profiling import DataProfile, profile_frame
from core.samples import load_sample
from core.scenarios import Scenario, load_scenario
from ui.samples import scenario_of
from ui.state import DojoState, get_state

SCENARIO_SEED = 42   # fixed: everyone in a workshop gets the same table


# LoadOptions field -> (LoadedData.choices key, label, may stay empty)
TABLE_CHOICES: dict[str, tuple[str, str, bool]] = {
    "sheet": ("sheet", "app.data.choose_sheet", False),
    "hdf_key": ("hdf_key", "app.data.choose_hdf_key", False),
    "npz_x": ("npz_arrays", "app.data.choose_npz_x", False),
    "npz_y": ("npz_arrays", "app.data.choose_npz_y", True),
}


def data_fingerprint(state: DojoState) -> str:
    """The table's identity: the file's sha256 plus the sheet/key/arrays read from it."""
    if state.data is None:
        return ""
    options = ",".join(f"{k}={v}" for k, v in sorted(state.load_options.items()) if v)
    return f"{state.data.sha256}:{options}"


def adopt(state: DojoState, loaded: LoadedData) -> None:
    """Make ``loaded`` the session's table; a different table resets the choices tied to it."""
    same = (state.data is not None and state.data.sha256 == loaded.sha256
            and list(state.data.frame.columns) == list(loaded.frame.columns))
    state.data = loaded
    if not same:
        state.reset_for_new_data()


def load_upload(file_id: str, name: str, read: Callable[[], bytes]) -> None:
    """Load an uploaded file once per upload; a refused file is remembered with its reason.

    ``read`` is only called for a new upload, so a rerun does not even copy the bytes.
    """
    state = get_state()
    if file_id in (state.upload_token, state.load_error and state.load_error[0]):
        return
    content = read()
    if state.data is not None and state.data.sha256 == hashlib.sha256(content).hexdigest():
        state.upload_token, state.sample_id = file_id, None
        return
    try:
        loaded = load_table(content, name=name)
    except DojoError as exc:
        state.load_error = (file_id, exc.as_message)
        return
    state.load_error = None
    adopt(state, loaded)
    state.upload_token, state.sample_id, state.load_options = file_id, None, {}


def reload_upload(name: str, read: Callable[[], bytes], options: dict[str, str]) -> None:
    """Read another sheet / key / array of the current upload."""
    state = get_state()
    loaded = load_table(read(), name=name, options=LoadOptions(**options))
    adopt(state, loaded)
    state.load_options = dict(options)


def load_sample_into_state(sample_id: str, with_target: bool = False) -> None:
    """Load a bundled sample or a workshop scenario; ``with_target`` also picks its target.

    A scenario also brings its problem type, time column, requirements card and mistake
    costs; it is generated with ``SCENARIO_SEED`` so a whole room sees the same table.
    """
    state = get_state()
    scenario = scenario_of(sample_id)
    if scenario is not None:
        loaded = state.remember(("scenario", sample_id, SCENARIO_SEED),
                                lambda: load_scenario(sample_id, seed=SCENARIO_SEED))
    else:
        loaded = state.remember(("sample", sample_id), lambda: load_sample(sample_id))
    previous = scenario_of(state.sample_id)
    adopt(state, loaded)
    state.sample_id, state.upload_token, state.load_error = sample_id, None, None
    state.load_options = {}
    if previous is not None and previous is not scenario:
        forget_scenario_card(state, previous)
    if scenario is not None:
        apply_scenario(state, scenario, with_target)
    elif with_target and "target" in loaded.frame.columns:
        state.target = "target"


def apply_scenario(state: DojoState, scenario: Scenario, with_target: bool = True) -> None:
    """The scenario's choices: target, task, time column, requirements card and costs."""
    if with_target:
        state.target, state.task = scenario.target, scenario.task
        state.time_column = scenario.time_column
    state.requirements = scenario.card_dict()
    state.costs = scenario.costs.to_dict() if scenario.costs is not None else None


def forget_scenario_card(state: DojoState, scenario: Scenario) -> None:
    """Leaving a scenario drops its card and costs, unless the user has edited them."""
    if state.requirements == scenario.card:
        state.requirements = None
    if scenario.costs is not None and state.costs == scenario.costs.to_dict():
        state.costs = None


def _overrides_key(state: DojoState) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(state.role_overrides.items()))


def auto_profile(state: DojoState) -> DataProfile:
    """The profile as inferred (no overrides) for the current data and target."""
    assert state.data is not None
    key = ("auto_profile", data_fingerprint(state), state.target, state.task)
    return state.remember(key, lambda: profile_frame(state.data.frame, target=state.target,
                                                     task=state.task), single=True)


def current_profile(state: DojoState) -> DataProfile:
    """The profile with the user's role overrides applied."""
    if not state.role_overrides:
        return auto_profile(state)
    key = ("profile", data_fingerprint(state), state.target, state.task, _overrides_key(state))
    return state.remember(key, lambda: profile_frame(
        state.data.frame, target=state.target, task=state.task,
        role_overrides=dict(state.role_overrides)), single=True)


def setup_key(state: DojoState) -> tuple[Any, ...]:
    return ("setup", data_fingerprint(state), state.target, state.task,
            _overrides_key(state), state.valid_size, state.test_size, state.seed,
            state.stratify, state.time_column)


def current_setup(state: DojoState) -> Any:
    """The prepared TrainingSetup for the current choices (raises DojoError on bad input)."""
    from core.training import prepare_setup
    from core.unsupervised import is_unsupervised

    if state.data is None or (state.target is None and not is_unsupervised(state.task)):
        return None   # clustering and dimensionality reduction need no target
    return state.remember(setup_key(state), lambda: prepare_setup(
        state.data, state.target, task=state.task,
        role_overrides=dict(state.role_overrides) or None, valid_size=state.valid_size,
        test_size=state.test_size, seed=state.seed, stratify=state.stratify,
        time_column=state.time_column), single=True)
