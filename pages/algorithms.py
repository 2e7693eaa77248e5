"""Algorithms: every candidate ranked against the requirements card (and the data, if loaded).

Reads the card from ``DojoState.requirements`` (written by the Requirements page or a
workshop scenario); without one, the problem type comes from the loaded data or a choice here. The
advisor's top picks become the Train page's selection until the user picks otherwise.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.advisor import MARKS, Recommendation, advise, top_picks
from core.errors import DojoError
from core.profiling import DataProfile, profile_frame
from core.requirements import PROBLEM_TYPES, RequirementsCard, parse_card_dict, summary
from ui.data_source import current_profile
from ui.i18n import labels_for, lang, text_of, tr
from ui.page import run_page, show_error
from ui.state import DojoState, get_state
from ui.guide import render_guide

SUPERVISED = ("classification", "regression")
VERDICT_COLOURS = {"meets": "green", "risky": "orange", "fails": "red"}


def current_card(state: DojoState) -> RequirementsCard | None:
    """The session's card, or None when the Requirements page has not made one."""
    raw = state.requirements
    if not raw:
        return None
    try:
        return parse_card_dict(raw)
    except DojoError as exc:
        show_error(exc)
        return None


def data_profile(state: DojoState, problem_type: str) -> DataProfile | None:
    """The loaded data's profile for this problem type, or None without data."""
    if state.data is None:
        return None
    try:
        if problem_type in SUPERVISED:
            return current_profile(state) if state.target is not None else None
        key = ("advisor_profile", state.data.sha256, problem_type)
        return state.remember(key, lambda: profile_frame(state.data.frame, None, problem_type),
                              single=True)
    except DojoError as exc:
        show_error(exc)
        return None


def choose_card(state: DojoState) -> RequirementsCard:
    """The session's card, else a bare card for a problem type chosen here."""
    card = current_card(state)
    if card is not None:
        st.markdown(tr("app.algorithms.card", summary=summary(card, lang())))
        return card
    st.info(tr("app.algorithms.no_card"), icon=":material/info:")
    if st.button(tr("app.algorithms.go_requirements"), key="go_requirements"):
        st.switch_page("pages/requirements.py")
    inferred = _inferred_task(state)
    if "algorithms_problem_type" not in st.session_state:
        st.session_state["algorithms_problem_type"] = inferred or "classification"
    options = list(PROBLEM_TYPES)
    problem_type = st.selectbox(tr("app.algorithms.problem_type"), options=options,
                                key="algorithms_problem_type",
                                format_func=labels_for(options,
                                                       lambda p: tr(f"requirements.problem.{p}")))
    return RequirementsCard(problem_type=problem_type)


def _inferred_task(state: DojoState) -> str | None:
    if state.data is None or state.target is None:
        return None
    try:
        profile = current_profile(state)
    except DojoError:
        return None
    return profile.task.task if profile.task is not None else None


def render_data_note(state: DojoState, card: RequirementsCard,
                     profile: DataProfile | None) -> None:
    if profile is None:
        st.caption(tr("app.algorithms.no_data"))
        return
    st.caption(tr("app.algorithms.data_used", name=state.data.name, rows=f"{profile.rows:,}",
                  features=len(profile.features)))
    if profile.task is not None and profile.task.task != card.problem_type:
        st.warning(tr("app.algorithms.task_mismatch",
                      data_task=tr(f"requirements.problem.{profile.task.task}"),
                      card_task=tr(f"requirements.problem.{card.problem_type}")),
                   icon=":material/warning:")


def ranking_frame(recs: list[Recommendation]) -> pd.DataFrame:
    """One row per algorithm: rank, name, score, counts of verdicts, trainable."""
    rows = []
    for rank, rec in enumerate(recs, 1):
        counts = {v: sum(r.verdict == v for r in rec.reasons) for v in MARKS}
        rows.append({
            tr("app.algorithms.col_rank"): rank,
            tr("app.algorithms.col_algorithm"): rec.name(lang()),
            tr("app.algorithms.col_score"): round(rec.score, 2),
            tr("app.algorithms.col_verdicts"): "  ".join(
                f"{MARKS[v]} {n}" for v, n in counts.items() if n),
            tr("app.algorithms.col_trainable"): (tr("app.algorithms.yes") if rec.trainable
                                                 else tr("app.algorithms.advice_only")),
        })
    return pd.DataFrame(rows)


def render_ranking(recs: list[Recommendation]) -> None:
    with st.container(key="advisor_ranking"):
        st.dataframe(ranking_frame(recs), hide_index=True,
                     column_config={tr("app.algorithms.col_score"): st.column_config.ProgressColumn(
                         tr("app.algorithms.col_score"), min_value=0.0, max_value=1.0,
                         format="%.2f")})
    st.caption(tr("advisor.estimates_note"))
    for rank, rec in enumerate(recs, 1):
        label = f"{rank}. {rec.name(lang())} — {rec.score:.2f}"
        with st.expander(label, expanded=rank == 1):
            st.caption(text_of(rec.summary))
            st.markdown("\n".join(reason_line(reason) for reason in rec.reasons))


def reason_line(reason: Any) -> str:
    colour = VERDICT_COLOURS[reason.verdict]
    label = tr(f"advisor.requirement.{reason.requirement}")
    verdict = tr(f"app.algorithms.verdict_{reason.verdict}")
    return f"- :{colour}[{MARKS[reason.verdict]} **{label}** · {verdict}] — {reason.text(lang())}"


def render_picks(state: DojoState, card: RequirementsCard, recs: list[Recommendation]) -> None:
    """Hand the top trainable picks to the Train page."""
    picks = top_picks(recs)
    if card.problem_type not in SUPERVISED or not picks:
        st.info(tr("app.algorithms.not_trainable_yet"), icon=":material/info:")
        return
    names = ", ".join(next(r.name(lang()) for r in recs if r.id == pick) for pick in picks)
    if state.algorithms is None and state.requirements is None:
        # The Train page starts from these until the user chooses otherwise (with a card,
        # it asks the advisor itself, so a changed card changes the picks).
        state.algorithms = list(picks)
        st.session_state.pop("algorithms", None)
    st.markdown(tr("app.algorithms.picks", names=names))
    if st.button(tr("app.algorithms.use_picks"), key="use_top_picks", type="primary",
                 icon=":material/model_training:"):
        state.algorithms = list(picks)
        st.session_state.pop("algorithms", None)
        st.switch_page("pages/train.py")


def render() -> None:
    state = get_state()
    st.title(tr("app.algorithms.title"))
    render_guide("algorithms")
    st.markdown(tr("app.algorithms.intro"))
    card = choose_card(state)
    profile = data_profile(state, card.problem_type)
    render_data_note(state, card, profile)
    recs = advise(card, profile, lang())
    render_picks(state, card, recs)
    render_ranking(recs)


run_page(render)
