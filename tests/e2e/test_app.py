"""The app in a real browser: the whole flow to a downloaded bundle, and every page in
both languages without an exception."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tiny_frame
from tests.e2e.browser import (app_and_bundle_predictions, choose, go, key, no_exception, shoot,
                               train_and_wait, upload_and_train, upload_file, wait_idle)
from ui.nav import available_pages


def test_upload_to_downloaded_bundle_then_predict_py(page, server, tmp_path: Path) -> None:
    url = server["url"]
    data = tmp_path / "customers.csv"
    tiny_frame(rows=120).to_csv(data, index=False)
    upload_and_train(page, url, data, "label")
    shoot(page, "flow-train-leaderboard")
    from_app, from_bundle = app_and_bundle_predictions(page, url, data, tmp_path)
    assert len(from_bundle) == len(from_app) == 120
    assert list(from_bundle["prediction"]) == list(from_app["prediction"])
    assert set(from_bundle["prediction"]) <= {"yes", "no"}


def test_every_page_renders_in_both_languages(page, server) -> None:
    url = server["url"]
    page.goto(url)
    wait_idle(page)
    key(page, "start_sample").locator("button").click()
    wait_idle(page)
    go(page, url, "train")
    train_and_wait(page)
    for language, label in (("en", "English"), ("ja", "日本語")):
        choose(page, "language", label)
        for spec in available_pages():
            go(page, url, spec.url_path)
            no_exception(page)
            assert page.locator('[data-testid="stMain"] h1').count() >= 1, spec.url_path
            shoot(page, f"page-{spec.url_path}-{language}")
    assert "学習" in page.locator('[data-testid="stSidebarNav"]').inner_text()


def test_a_broken_upload_shows_a_message_not_a_traceback(page, server, tmp_path: Path) -> None:
    url = server["url"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"\x00\x01 definitely not a spreadsheet")
    page.goto(url)
    wait_idle(page)
    go(page, url, "data")
    upload_file(page, "data_upload", broken)
    no_exception(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() >= 1
