"""The hand-over report in a real browser: train on a small upload, download the report."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tiny_frame
from tests.e2e.browser import download, go, key, no_exception, shoot, upload_and_train


def test_the_report_downloads_as_html_naming_the_model(page, server, tmp_path: Path) -> None:
    url = server["url"]
    data = tmp_path / "customers.csv"
    tiny_frame(rows=100, seed=1).to_csv(data, index=False)
    upload_and_train(page, url, data, "label")
    go(page, url, "export")
    page.wait_for_selector(".st-key-report_download")
    no_exception(page)
    model = key(page, "export_candidate").get_by_role("combobox").first.input_value().strip()
    report = download(page, "report_download", tmp_path)
    assert report.suffix == ".html"
    text = report.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert model and model in text, model
    markdown = download(page, "report_download_md", tmp_path)
    assert model in markdown.read_text(encoding="utf-8")
    shoot(page, "report-export")
