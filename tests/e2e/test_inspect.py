"""The Inspect page in a real browser: after training on an upload, the drawn tree and the
SHAP summary are on the page, for a decision tree and for LightGBM."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tiny_frame
from tests.e2e.browser import (choose, go, key, no_exception, shoot, upload_and_train, wait_idle)


def assert_tree_and_shap(page) -> None:
    page.wait_for_selector(".st-key-tree_view svg", timeout=60_000)
    page.wait_for_selector(".st-key-shap_summary .js-plotly-plot", timeout=60_000)
    wait_idle(page)
    no_exception(page)
    assert key(page, "tree_view").locator("svg").count() >= 1
    assert key(page, "shap_summary").locator('[data-testid="stPlotlyChart"]').count() >= 1


def test_inspect_shows_the_tree_and_shap(page, server, tmp_path: Path) -> None:
    url = server["url"]
    data = tmp_path / "customers.csv"
    tiny_frame(rows=120).to_csv(data, index=False)
    upload_and_train(page, url, data, "label")
    go(page, url, "inspect")
    for name in ("Decision tree", "LightGBM"):
        choose(page, "inspect_candidate", name)
        assert_tree_and_shap(page)
        shoot(page, f"inspect-{name.replace(' ', '-').lower()}")
