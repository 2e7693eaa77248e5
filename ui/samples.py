"""The datasets the Data page offers without a file: scikit-learn samples and workshop scenarios.

Both sit in one picker (`sample_dataset`). The scikit-learn samples come first, then the
workshop's business cases (core.scenarios), each labelled with its group so a room can
tell them apart at a glance.
"""

from __future__ import annotations

from core.i18n import Message
from core.samples import SAMPLE_DATASETS, list_samples
from core.scenarios import SCENARIOS, Scenario, list_scenarios
from ui.i18n import text_of, tr


def sample_ids() -> list[str]:
    """Ids of everything the picker offers: the samples, then the scenarios."""
    return list(list_samples()) + [s for s in list_scenarios() if s not in SAMPLE_DATASETS]


def is_scenario(sample_id: str | None) -> bool:
    """True for a workshop scenario's id (as opposed to a scikit-learn sample)."""
    return sample_id in SCENARIOS and sample_id not in SAMPLE_DATASETS


def scenario_of(sample_id: str | None) -> Scenario | None:
    return SCENARIOS[sample_id] if is_scenario(sample_id) else None


def sample_label(sample_id: str) -> str:
    """The picker's text for ``sample_id``: its group and its name in the session's language."""
    scenario = scenario_of(sample_id)
    if scenario is not None:
        return tr("app.data.group_scenario", name=text_of(scenario.title))
    sample = SAMPLE_DATASETS.get(sample_id)
    if sample is None:
        return tr("app.data.sample_fallback", id=sample_id)
    return tr("app.data.group_sample", name=text_of(sample.title))


def sample_description(sample_id: str | None) -> str:
    """One line on what the dataset holds ("" for an unknown id)."""
    scenario = scenario_of(sample_id)
    if scenario is not None:
        return text_of(scenario.description)
    sample = SAMPLE_DATASETS.get(sample_id) if sample_id else None
    return text_of(sample.description) if sample else ""


def scenario_story(sample_id: str | None) -> Message | None:
    """The business story behind a scenario (None for a plain sample)."""
    scenario = scenario_of(sample_id)
    return scenario.story if scenario is not None else None
