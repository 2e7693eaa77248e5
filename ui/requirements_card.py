"""The session's requirements card as every page sees it: its short form and its scorecard.

The card lives in ``DojoState.requirements`` as DESIGN.md's JSON dict (the Requirements
page writes it; a workshop scenario may too). Scorecards are memoised per training run
and card, so a rerun measures nothing again.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import DojoError
from core.requirements import RequirementsCard, parse_card_dict, summary
from ui.i18n import lang, tr
from ui.state import DojoState


def current_card(state: DojoState) -> RequirementsCard | None:
    """The session's card, or None when there is none (or it no longer parses)."""
    if not state.requirements:
        return None
    try:
        return parse_card_dict(state.requirements)
    except DojoError:
        return None


def card_fingerprint(state: DojoState) -> str:
    """The card as canonical JSON ("" without one): memo keys change when the card does."""
    if not state.requirements:
        return ""
    return json.dumps(state.requirements, sort_keys=True, ensure_ascii=False, default=str)


def render_sidebar_summary(state: DojoState) -> None:
    """The card in one line with a link to change it (sidebar, on every page)."""
    card = current_card(state)
    if card is None:
        return
    with st.container(key="requirements_card_summary"):
        st.markdown(f"**{tr('app.sidebar.requirements')}**")
        st.caption(summary(card, lang()))
        st.page_link("pages/requirements.py", label=tr("app.sidebar.edit_requirements"),
                     icon=":material/edit:")


# --- the scorecard -----------------------------------------------------------------------------

def scorecards(state: DojoState, card: RequirementsCard) -> list[Any]:
    """Every trained candidate of the session's run checked against ``card`` (memoised per
    candidate, card and decision threshold)."""
    from core.scorecard import score_candidate
    from ui.training import as_deployed

    if state.results_setup is None:
        return []
    checked = []
    for result in state.results:
        if not result.ok or result.is_baseline:
            continue
        memo = ("scorecard", state.results_run, card_fingerprint(state), result.key,
                state.thresholds.get(result.key))
        checked.append(state.remember(memo, lambda r=result: score_candidate(
            as_deployed(state, r), card, state.results_setup)))
    return checked


def scorecard_of(state: DojoState, candidate: str) -> dict[str, Any] | None:
    """Candidate ``candidate``'s scorecard as stored in its bundle, or None without a card."""
    card = current_card(state)
    if card is None:
        return None
    found = next((s for s in scorecards(state, card) if s.key == candidate), None)
    return found.to_dict() if found is not None else None


def report_rows(scorecard: dict[str, Any] | None, language: str) -> list[dict[str, str]] | None:
    """A stored scorecard as rows the report shows: requirement and result, in ``language``."""
    from core.i18n import t
    from core.scorecard import MARKS

    if not scorecard:
        return None
    requirement, result = t("scorecard.col.requirement", language), t("scorecard.col.result",
                                                                       language)
    rows = []
    for line in scorecard.get("lines", []):
        text = line.get("text") or {}
        shown = text.get(language) or text.get("en", "") if isinstance(text, dict) else str(text)
        rows.append({requirement: t(f"scorecard.requirement.{line['requirement']}", language),
                     result: f"{MARKS.get(line.get('passed'), '–')} {shown}"})
    return rows


def short_result(line: Any) -> str:
    """One check in a few characters: "✓ 3.1 ms ≤ 5 ms", "✗ Recall 0.46 < 0.6"."""
    from core.requirements import format_number, metric_direction, metric_label
    from core.scorecard import MARKS

    mark = MARKS[line.passed]
    if line.passed is None or line.measured is None:
        return f"{mark} {tr('app.scorecard.not_measured')}"
    if line.requirement == "explanation":
        return f"{mark} {tr(f'requirements.explanation.{line.measured}')}"
    if line.requirement == "accuracy":
        higher = metric_direction(line.unit) > 0
        sign = ("≥" if higher else "≤") if line.passed else ("<" if higher else ">")
        return (f"{mark} {metric_label(line.unit, lang())} {format_number(line.measured)} "
                f"{sign} {format_number(line.required)}")
    sign = "≤" if line.passed else ">"
    return (f"{mark} {format_number(line.measured)} {line.unit} {sign} "
            f"{format_number(line.required)} {line.unit}")


def compact_rows(checked: list[Any]) -> list[dict[str, str]]:
    """One row per candidate, one short cell per requirement (the full sentences sit below)."""
    from core.i18n import t
    from core.scorecard import MARKS

    rows = []
    for scorecard in checked:
        row = {t("scorecard.col.candidate", lang()): scorecard.name.get(lang()) or scorecard.key,
               t("scorecard.col.overall", lang()): MARKS[scorecard.passed]}
        for line in scorecard.lines:
            row[t(f"scorecard.requirement.{line.requirement}", lang())] = short_result(line)
        rows.append(row)
    return rows


def render_details(checked: list[Any]) -> None:
    """Every check as a sentence: what was measured, how, and against what."""
    from core.scorecard import MARKS

    with st.expander(tr("app.scorecard.details"), icon=":material/fact_check:"):
        for scorecard in checked:
            st.markdown(f"**{scorecard.name.get(lang()) or scorecard.key}**")
            st.markdown("\n".join(f"- {MARKS[line.passed]} {line.text(lang())}"
                                   for line in scorecard.lines))


def render_scorecards(state: DojoState, card: RequirementsCard) -> None:
    """The trained candidates against the card, and the price of explainability."""
    from core.scorecard import price_of_explainability
    from ui.training import as_deployed

    if state.results_setup is None or not any(r.ok and not r.is_baseline for r in state.results):
        return
    st.subheader(tr("app.requirements.scorecard_heading"))
    st.caption(tr("app.requirements.scorecard_help"))
    with st.spinner(tr("app.scorecard.measuring")):
        checked = scorecards(state, card)
    if not any(s.lines for s in checked):
        st.info(tr("app.scorecard.nothing_to_check"), icon=":material/info:")
        return
    with st.container(key="scorecard"):
        st.dataframe(pd.DataFrame(compact_rows(checked)), hide_index=True)
    if any(s.key in state.thresholds for s in checked):
        st.caption(tr("app.scorecard.at_threshold"))
    render_details(checked)
    thresholds = tuple(sorted(state.thresholds.items()))
    price = state.remember(
        ("explainability_price", state.results_run, card_fingerprint(state), thresholds),
        lambda: price_of_explainability([as_deployed(state, r) for r in state.results], card))
    st.info(price.text(lang()), icon=":material/balance:")
