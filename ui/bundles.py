"""Model bundles for the session: written once per candidate and version of what goes in.

A bundle holds the model with the requirements card, its scorecard, the chosen decision
threshold and the hand-over report (in the session's language); when any of these
changes, a new bundle is written under DOJO_HOME/bundles, never on a plain rerun.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from core.config import dojo_home
from ui.requirements_card import card_fingerprint, report_rows, scorecard_of
from ui.state import DojoState


def bundle_variant(state: DojoState, key: str) -> str:
    """A short fingerprint of what goes into ``key``'s bundle besides the model itself."""
    threshold = state.thresholds.get(key)
    text = json.dumps([card_fingerprint(state), threshold, state.language])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def bundle_path(state: DojoState, key: str) -> Path:
    """model-<data>-<candidate>-<run><variant>.zip: readable, unique per run and contents."""
    setup = state.results_setup
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(setup.data_name).stem).strip("_") or "data"
    run = re.sub(r"[^A-Za-z0-9]+", "", str(state.results_run or ""))[-8:]
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{stem[:40]}-{key}-{setup.data_sha256[:6]}{run}"
                                           f"-{bundle_variant(state, key)}")
    return dojo_home() / "bundles" / f"model-{name}.zip"


def score_for_handover(state: DojoState, key: str) -> None:
    """Score the candidate and the baseline on the test rows (once) and record the scores.

    The test rows are scored only for the model handed over, so they stay unbiased.
    """
    from core.tracking import record_test_scores
    from core.training import baseline_of, score_test

    for candidate in (state.result(key), baseline_of(state.results)):
        if candidate is not None and not candidate.metrics.get("test"):
            score_test(state.results_setup, candidate)
            record_test_scores(candidate)


def deployed_results(state: DojoState) -> list[Any]:
    """The session's candidates as handed over: each scored at its decision threshold."""
    from ui.training import as_deployed

    return [as_deployed(state, result) for result in state.results]


def report_checks(state: DojoState, key: str) -> list[dict[str, str]] | None:
    """The report's scorecard table: the decision threshold first, then the card's checks."""
    from core.i18n import t

    rows = report_rows(scorecard_of(state, key), state.language) or []
    threshold = state.thresholds.get(key)
    if threshold is not None:
        lang = state.language
        rows.insert(0, {t("scorecard.col.requirement", lang): t("app.export.report_threshold",
                                                                lang),
                        t("scorecard.col.result", lang): t(
                            "app.export.report_threshold_text", lang,
                            threshold=f"{threshold:.3f}",
                            positive=str(state.results_setup.classes[1]))})
    return rows or None


def build_candidate_report(state: DojoState, key: str, bundle_name: str) -> Any:
    """The hand-over report of candidate ``key`` (core.report.Report) for ``bundle_name``.

    Built only when its bundle is written (it embeds plotly.js, so it is not kept in
    memory); the Export page's downloads read it back from the bundle.
    """
    from core.report import build_report

    return build_report(state.results_setup, deployed_results(state), chosen=key,
                        lang=state.language, card=state.requirements,
                        scorecard=report_checks(state, key), bundle_name=bundle_name)


def role_messages(state: DojoState, key: str, bundle_name: str) -> dict[str, str]:
    """The report's ready-to-send message per role (core.report.ROLES), memoised."""
    from core.report import build_messages, gather_facts

    memo = ("role_messages", state.results_run, key, bundle_name)
    return state.remember(memo, lambda: build_messages(gather_facts(
        state.results_setup, deployed_results(state), key, state.language,
        state.requirements, report_checks(state, key), bundle_name)))


def ensure_bundle(state: DojoState, key: str) -> Path:
    """The bundle of candidate ``key``; written when first asked for or its contents changed."""
    from core.bundle import write_bundle
    from core.training import baseline_of
    from ui.training import as_deployed

    out = bundle_path(state, key)
    if state.bundles.get(key) == str(out) and out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.is_file():
        score_for_handover(state, key)
        report = build_candidate_report(state, key, out.name)
        # The metadata's scores are the handed-over model's: at its threshold, as predict.py.
        out = Path(write_bundle(
            state.results_setup, as_deployed(state, state.result(key)), out,
            requirements=state.requirements,
            scorecard=scorecard_of(state, key), extra_files=report.files("report"),
            baseline=baseline_of(state.results), decision_threshold=state.thresholds.get(key),
            lang=state.language))
    state.bundles[key] = str(out)
    state.last_bundle_path = str(out)
    return out


def bundle_listing(path: Path) -> list[dict[str, Any]]:
    """The files inside a bundle with their sizes."""
    with zipfile.ZipFile(path) as archive:
        return [{"file": info.filename, "bytes": info.file_size} for info in archive.infolist()]


def bundle_text(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8", errors="replace")


def bundle_metadata(path: Path) -> dict[str, Any]:
    return json.loads(bundle_text(path, "metadata.json"))


def bundle_bytes(path: Path, member: str) -> bytes | None:
    """One file of a bundle as bytes, or None when the bundle has no such file."""
    with zipfile.ZipFile(path) as archive:
        try:
            return archive.read(member)
        except KeyError:
            return None
