"""The translation catalogs are complete: every key in English and Japanese, same placeholders,
and every key the app's code asks for exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from core.i18n import LANGUAGES, catalog, placeholders
from core.profiling import ROLES

ROOT = Path(__file__).resolve().parents[1]
LOCALES = sorted((ROOT / "core" / "locales").glob("*.toml"))
APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
               *sorted((ROOT / "ui").glob("*.py"))]
# tr("key"), t("key", ...), Message("key"), DojoError("key") with a literal key
KEY_CALL = re.compile(r"""\b(?:tr|t|Message|DojoError)\(\s*["']([a-z_][\w.]*)["']""")
# Any other literal that looks like an app key, e.g. Step("pages/data.py", "app.step.data", ...)
APP_KEY_LITERAL = re.compile(r"""["'](app\.[a-z_]+\.[\w.]*\w)["']""")
# Keys the app builds at run time from a fixed set of values.
DYNAMIC_FAMILIES: dict[str, tuple[str, ...]] = {
    "app.task.{}": ("auto", "classification", "regression", "clustering",
                    "dimensionality_reduction"),
    "app.plot.{}": ("cluster_projection", "cluster_profile", "projection", "loadings",
                    "explained_variance"),
    "app.unsupervised.goal_{}": ("clustering", "dimensionality_reduction"),
    "app.unsupervised.metrics_{}": ("clustering", "dimensionality_reduction"),
    "app.unsupervised.export_{}": ("clustering", "dimensionality_reduction"),
    "app.unsupervised.baseline_note_{}": ("clustering", "dimensionality_reduction"),
    "app.subtype.{}": ("binary", "multiclass"),
    "app.role.{}": ROLES,
    "app.split.{}": ("train", "validation", "test"),
    "app.split.method_{}": ("random", "stratified", "time"),
    "app.stage.{}": ("running", "done", "failed", "waiting"),
    "app.predict.source_{}": ("session", "bundle"),
}


def _leaves(table: dict, prefix: str = "") -> dict[str, dict]:
    """Leaf tables (those holding language texts) by dotted key, straight from the TOML."""
    out: dict[str, dict] = {}
    for name, value in table.items():
        if not isinstance(value, dict):
            continue
        key = f"{prefix}{name}"
        if any(not isinstance(v, dict) for v in value.values()):
            out[key] = value
        else:
            out.update(_leaves(value, f"{key}."))
    return out


@pytest.mark.parametrize("path", LOCALES, ids=lambda p: p.name)
def test_every_key_has_every_language_with_the_same_placeholders(path: Path) -> None:
    with path.open("rb") as handle:
        leaves = _leaves(tomllib.load(handle))
    assert leaves, f"{path.name} holds no messages"
    problems = []
    for key, texts in leaves.items():
        missing = [lang for lang in LANGUAGES if not str(texts.get(lang, "")).strip()]
        if missing:
            problems.append(f"{key}: no {', '.join(missing)}")
            continue
        fields = {lang: placeholders(texts[lang]) for lang in LANGUAGES}
        if len({frozenset(f) for f in fields.values()}) > 1:
            problems.append(f"{key}: placeholders differ {fields}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_no_key_is_defined_twice_across_files() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for path in LOCALES:
        with path.open("rb") as handle:
            for key in _leaves(tomllib.load(handle)):
                if key in seen:
                    duplicates.append(f"{key} in {seen[key]} and {path.name}")
                seen[key] = path.name
    assert not duplicates, "\n".join(duplicates)


def used_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for path in APP_SOURCES:
        source = path.read_text(encoding="utf-8")
        for key in KEY_CALL.findall(source) + APP_KEY_LITERAL.findall(source):
            keys.setdefault(key, path.relative_to(ROOT).as_posix())
    for pattern, values in DYNAMIC_FAMILIES.items():
        for value in values:
            keys.setdefault(pattern.format(value), "dynamic")
    from ui.nav import PAGES

    for spec in PAGES:
        keys.setdefault(spec.title_key, "ui/nav.py")
    return keys


def test_every_key_the_app_uses_exists() -> None:
    known = catalog()
    missing = sorted(f"{key} (used in {where})" for key, where in used_keys().items()
                     if key not in known)
    assert not missing, "missing from core/locales:\n" + "\n".join(missing)


def test_the_scan_finds_the_app_keys() -> None:
    # Guards the regex: if it stopped matching, the test above would pass vacuously.
    assert len([k for k in used_keys() if k.startswith("app.")]) > 100


def test_catalog_loader_sees_every_toml_leaf() -> None:
    catalog.cache_clear()   # read the files as they are now, not as first cached
    for path in LOCALES:
        with path.open("rb") as handle:
            for key in _leaves(tomllib.load(handle)):
                assert key in catalog(), f"{path.name}: {key} is not loaded by core.i18n"
