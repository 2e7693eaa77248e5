from core.errors import DojoError
from core.i18n import Message, catalog, placeholders, t


def test_texts_fill_placeholders_in_both_languages() -> None:
    assert "deep_magic" in t("catalog.unknown_algorithm", "en", algorithm="deep_magic", known="x")
    assert "deep_magic" in t("catalog.unknown_algorithm", "ja", algorithm="deep_magic", known="x")
    assert Message("train.no_features").text("ja") == catalog()["train.no_features"]["ja"]


def test_unknown_key_and_missing_parameter_do_not_break_a_page() -> None:
    assert t("no.such.key") == "no.such.key"
    assert "{algorithm}" in t("catalog.unknown_algorithm", "en")


def test_dojo_error_carries_a_translated_message() -> None:
    error = DojoError("train.no_features")
    assert str(error) == error.message("en") != error.message("ja")


def test_placeholders() -> None:
    assert placeholders("a {x} b {y}") == {"x", "y"}


def test_parameters_given_in_both_languages_follow_the_language() -> None:
    names = {"en": "k-nearest neighbours", "ja": "k 近傍法"}
    assert "k 近傍法" in t("catalog.unknown_algorithm", "ja", algorithm=names, known="-")
    assert "k-nearest" in t("catalog.unknown_algorithm", "en", algorithm=names, known="-")
