"""The bundled sample datasets as the Data page offers them."""

from __future__ import annotations

from core.samples import SAMPLE_DATASETS, list_samples
from ui.i18n import text_of, tr


def sample_ids() -> list[str]:
    """Ids of the samples in the order core lists them."""
    return list(list_samples())


def sample_label(sample_id: str) -> str:
    """The sample's name in the session's language."""
    sample = SAMPLE_DATASETS.get(sample_id)
    return text_of(sample.title) if sample else tr("app.data.sample_fallback", id=sample_id)


def sample_description(sample_id: str | None) -> str:
    sample = SAMPLE_DATASETS.get(sample_id) if sample_id else None
    return text_of(sample.description) if sample else ""
