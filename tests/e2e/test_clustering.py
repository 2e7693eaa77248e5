"""A clustering flow in a real browser: a table with no column to predict, grouped, exported,
and the bundle's predict.py assigns the same groups as the app."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tests.e2e.browser import (app_and_bundle_predictions, go, key, no_exception, shoot,
                               upload_file, wait_idle)


def shops_frame(rows: int = 120, seed: int = 0) -> pd.DataFrame:
    """Three clear groups of shops in three numeric columns and one category."""
    rng = np.random.default_rng(seed)
    group = np.arange(rows) % 3
    centres = np.array([[10, 200, 1], [40, 800, 5], [25, 500, 12]], dtype=float)
    values = centres[group] + rng.normal(scale=[2, 30, 0.8], size=(rows, 3))
    frame = pd.DataFrame(values.round(2), columns=["visits", "spend", "years"])
    frame["channel"] = np.array(["web", "store", "phone"])[group]
    return frame


def tick(page, widget_key: str) -> None:
    key(page, widget_key).locator("label").first.click()
    wait_idle(page)


def test_no_target_clustering_to_a_bundle_that_assigns_the_same_groups(
        page, server, tmp_path: Path) -> None:
    url = server["url"]
    data = tmp_path / "shops.csv"
    shops_frame().to_csv(data, index=False)
    page.goto(url)
    wait_idle(page)
    go(page, url, "data")
    upload_file(page, "data_upload", data)
    tick(page, "no_target")
    assert key(page, "task_choice").get_by_role("combobox").input_value() == "Clustering"
    no_exception(page)
    go(page, url, "train")
    key(page, "train_button").locator("button").click()
    page.wait_for_selector(".st-key-leaderboard", timeout=120_000)
    wait_idle(page)
    no_exception(page)
    assert key(page, "leaderboard").locator('[data-testid="stDataFrame"]').is_visible()
    shoot(page, "clustering-train")
    page.wait_for_selector(".st-key-projection_chart .js-plotly-plot")
    from_app, from_bundle = app_and_bundle_predictions(page, url, data, tmp_path)
    assert len(from_bundle) == len(from_app) == 120
    assert list(from_bundle["prediction"]) == list(from_app["prediction"])
    assert from_bundle["prediction"].nunique() == 3, "three groups, as in the data"
    shoot(page, "clustering-predict")
