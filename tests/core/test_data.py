"""Loading every supported format, encoding and error path of core.data."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import data as data_module
from core.data import LoadOptions, detect_encoding, load_table, sniff_delimiter
from core.errors import DojoError
from core.i18n import placeholders

JAPANESE_CSV = "顧客番号,名前,年齢,都道府県\n1,山田太郎,30,東京都\n2,佐藤花子,25,大阪府\n3,鈴木一郎,41,北海道\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _error_key(excinfo: pytest.ExceptionInfo[DojoError]) -> str:
    """The error's key, after checking that both languages render with every placeholder filled."""
    for lang in ("en", "ja"):
        text = excinfo.value.message(lang)
        assert text != excinfo.value.key and "{" not in text, text
    return excinfo.value.key


# ---------------------------------------------------------------- text formats and encodings


def test_csv_utf8_reads_numbers_and_hash(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "x,y,label\n1,2.5,a\n3,4.5,b\n")
    loaded = load_table(path)
    assert loaded.frame.shape == (2, 3)
    assert pd.api.types.is_integer_dtype(loaded.frame["x"])
    assert pd.api.types.is_float_dtype(loaded.frame["y"])
    assert pd.api.types.is_string_dtype(loaded.frame["label"])
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (loaded.name, loaded.file_format, loaded.encoding, loaded.delimiter) == ("a.csv", "csv", "utf-8", ",")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp"])
def test_japanese_encodings_keep_column_names_and_values(tmp_path: Path, encoding: str) -> None:
    path = _write(tmp_path / "jp.csv", JAPANESE_CSV, encoding)
    loaded = load_table(path)
    assert list(loaded.frame.columns) == ["顧客番号", "名前", "年齢", "都道府県"]
    assert loaded.frame["名前"].tolist() == ["山田太郎", "佐藤花子", "鈴木一郎"]
    assert loaded.encoding == encoding


def test_bytes_upload_uses_the_name_for_the_format(tmp_path: Path) -> None:
    raw = JAPANESE_CSV.encode("cp932")
    loaded = load_table(raw, name="uploads/顧客.csv")
    assert loaded.name == "顧客.csv" and loaded.encoding == "cp932"
    assert loaded.sha256 == hashlib.sha256(raw).hexdigest()
    assert loaded.frame["都道府県"].iloc[0] == "東京都"


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
@pytest.mark.parametrize("text", ["名前\nｱｲｳ", "東京", "かな,カナ\n1,2", "顧客ID,氏名\n1,渡辺"])
def test_short_japanese_samples_decode_correctly(text: str, encoding: str) -> None:
    raw = text.encode(encoding)
    assert raw.decode(detect_encoding(raw)) == text


def test_bad_byte_after_the_sample_falls_back_to_another_encoding(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_module, "SAMPLE_BYTES", 64)
    lines = ["id,name"] + [f"{i},row{i}" for i in range(30)] + ["99,東京"]
    path = _write(tmp_path / "late.csv", "\n".join(lines) + "\n", "cp932")
    loaded = load_table(path)
    assert loaded.encoding == "cp932"
    assert loaded.frame["name"].iloc[-1] == "東京"
    assert any(note.key == "data.encoding_fallback" for note in loaded.notes)


def test_tsv_and_sniffed_txt_delimiters(tmp_path: Path) -> None:
    tsv = load_table(_write(tmp_path / "a.tsv", "a\tb\n1\t2\n3\t4\n"))
    assert list(tsv.frame.columns) == ["a", "b"] and tsv.delimiter == "\t"
    for sep in [";", "|", "\t", ","]:
        txt = load_table(_write(tmp_path / "s.txt", f"a{sep}b{sep}c\n1{sep}2{sep}3\n4{sep}5{sep}6\n"))
        assert txt.frame.shape == (2, 3), sep
        assert txt.delimiter == sep and txt.file_format == "txt"


def test_whitespace_separated_txt(tmp_path: Path) -> None:
    loaded = load_table(_write(tmp_path / "w.txt", "a   b  c\n1  2   3\n4 5 6\n"))
    assert list(loaded.frame.columns) == ["a", "b", "c"]
    assert loaded.frame["c"].tolist() == [3, 6]


def test_sniffer_keeps_comma_for_csv_with_semicolons_inside_values() -> None:
    text = 'a,b\n"x;y",1\n"p;q",2\n'
    assert sniff_delimiter(text, ".csv") == ","
    assert sniff_delimiter("a;b;c\n1;2;3\n", ".csv") == ";"
    assert sniff_delimiter("single\n1\n2\n", ".txt") == ","


def test_missing_markers_become_nan_and_keep_columns_numeric(tmp_path: Path) -> None:
    text = "n,s\n1,a\n?,NA\n-,b\nnull,N/A\n,None\n5,c\n"
    frame = load_table(_write(tmp_path / "m.csv", text)).frame
    assert pd.api.types.is_numeric_dtype(frame["n"])
    assert frame["n"].isna().sum() == 4
    assert frame["s"].isna().sum() == 3


def test_column_tidying(tmp_path: Path) -> None:
    text = " a ,b,a,,\n1,2,3,,\n4,5,6,,\n"
    loaded = load_table(_write(tmp_path / "t.csv", text))
    assert list(loaded.frame.columns) == ["a", "b", "a.1"]
    keys = {note.key for note in loaded.notes}
    assert "data.dropped_empty_columns" in keys


def test_duplicate_names_after_stripping_become_unique(tmp_path: Path) -> None:
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", " a", "a.1"])
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    loaded = load_table(path)
    assert list(loaded.frame.columns) == ["a", "a.2", "a.1"]
    assert any(note.key == "data.renamed_duplicate_columns" for note in loaded.notes)


def test_json_records_and_lines(tmp_path: Path) -> None:
    rows = [{"x": 1, "名前": "あ", "v": "?"}, {"x": 2, "名前": "い", "v": "3.5"}]
    records = load_table(_write(tmp_path / "r.json", json.dumps(rows, ensure_ascii=False)))
    assert records.frame.shape == (2, 3) and records.file_format == "json"
    assert records.frame["名前"].tolist() == ["あ", "い"]
    assert pd.api.types.is_float_dtype(records.frame["v"]) and records.frame["v"].isna().sum() == 1
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    for name in ("l.jsonl", "l.json"):
        lines = load_table(_write(tmp_path / name, text))
        assert lines.frame.shape == (2, 3) and lines.file_format == "jsonl"


# ---------------------------------------------------------------- binary formats


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pd.DataFrame({"a": [1, 2], "b": ["x", "?"]}).to_parquet(path)
    loaded = load_table(path.read_bytes(), name="p.parquet")
    assert loaded.file_format == "parquet" and loaded.frame["b"].isna().sum() == 1


def test_excel_first_sheet_by_default_and_sheet_choice(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"a": [1, 2], "名前": ["x", "y"]}).to_excel(writer, sheet_name="first", index=False)
        pd.DataFrame({"b": [3, "?", 5]}).to_excel(writer, sheet_name="二枚目", index=False)
    first = load_table(path)
    assert first.choices["sheet"] == ["first", "二枚目"]
    assert list(first.frame.columns) == ["a", "名前"] and first.file_format == "excel"
    assert any(note.key == "data.first_sheet_used" for note in first.notes)
    second = load_table(path.read_bytes(), name="book.xlsx", options=LoadOptions(sheet="二枚目"))
    assert pd.api.types.is_numeric_dtype(second.frame["b"]) and second.frame["b"].isna().sum() == 1
    with pytest.raises(DojoError) as excinfo:
        load_table(path, options=LoadOptions(sheet="missing"))
    assert _error_key(excinfo) == "data.sheet_not_found"


def test_hdf5_one_key_two_keys_and_bytes(tmp_path: Path) -> None:
    one = tmp_path / "one.h5"
    pd.DataFrame({"a": [1.0, 2.0]}).to_hdf(one, key="frame", format="table")
    assert load_table(one).frame["a"].tolist() == [1.0, 2.0]
    two = tmp_path / "two.h5"
    pd.DataFrame({"a": [1, 2]}).to_hdf(two, key="first")
    pd.DataFrame({"b": [3, 4, 5]}).to_hdf(two, key="second")
    loaded = load_table(two.read_bytes(), name="two.h5")
    assert loaded.choices["hdf_key"] == ["first", "second"] and list(loaded.frame.columns) == ["a"]
    chosen = load_table(two, options=LoadOptions(hdf_key="/second"))
    assert chosen.frame["b"].tolist() == [3, 4, 5] and chosen.file_format == "hdf5"
    with pytest.raises(DojoError) as excinfo:
        load_table(two, options=LoadOptions(hdf_key="third"))
    assert _error_key(excinfo) == "data.hdf_key_not_found"


def test_npy_one_and_two_dimensions(tmp_path: Path) -> None:
    np.save(tmp_path / "two.npy", np.arange(6, dtype=float).reshape(3, 2))
    np.save(tmp_path / "one.npy", np.arange(4))
    assert list(load_table(tmp_path / "two.npy").frame.columns) == ["x0", "x1"]
    assert load_table(tmp_path / "one.npy").frame.shape == (4, 1)


def test_npz_default_and_chosen_arrays(tmp_path: Path) -> None:
    path = tmp_path / "arrays.npz"
    np.savez(path, X=np.ones((4, 3)), y=np.array([0, 1, 0, 1]), other=np.zeros((4, 2)))
    loaded = load_table(path)
    assert list(loaded.frame.columns) == ["x0", "x1", "x2", "target"]
    assert loaded.choices["npz_arrays"] == ["X", "y", "other"]
    chosen = load_table(path.read_bytes(), name="arrays.npz", options=LoadOptions(npz_x="other"))
    assert list(chosen.frame.columns) == ["x0", "x1", "target"]
    with pytest.raises(DojoError) as excinfo:
        load_table(path, options=LoadOptions(npz_y="labels"))
    assert _error_key(excinfo) == "data.npz_array_not_found"


def test_npz_without_conventional_names_and_mismatched_y(tmp_path: Path) -> None:
    path = tmp_path / "plain.npz"
    np.savez(path, a=np.ones(3), b=np.ones((3, 2)))
    assert list(load_table(path).frame.columns) == ["x0", "x1"]
    bad = tmp_path / "bad.npz"
    np.savez(bad, X=np.ones((3, 2)), y=np.ones(5))
    with pytest.raises(DojoError) as excinfo:
        load_table(bad)
    assert _error_key(excinfo) == "data.npz_length_mismatch"
    only_1d = tmp_path / "only1d.npz"
    np.savez(only_1d, y=np.ones(3))
    with pytest.raises(DojoError) as excinfo:
        load_table(only_1d)
    assert _error_key(excinfo) == "data.npz_no_table"


def test_object_arrays_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "objects.npy"
    np.save(path, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with pytest.raises(DojoError) as excinfo:
        load_table(path)
    assert _error_key(excinfo) == "data.array_pickled"


def test_three_dimensional_array_is_refused(tmp_path: Path) -> None:
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 2)))
    with pytest.raises(DojoError) as excinfo:
        load_table(tmp_path / "cube.npy")
    assert _error_key(excinfo) == "data.array_shape"


# ---------------------------------------------------------------- errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DojoError) as excinfo:
        load_table(tmp_path / "nope.csv")
    assert _error_key(excinfo) == "data.file_not_found"
    assert "nope.csv" in str(excinfo.value)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DojoError) as excinfo:
        load_table(path)
    assert _error_key(excinfo) == "data.empty_file"
    with pytest.raises(DojoError):
        load_table(b"", name="empty.parquet")


def test_header_without_rows(tmp_path: Path) -> None:
    with pytest.raises(DojoError) as excinfo:
        load_table(_write(tmp_path / "h.csv", "a,b,c\n"))
    assert _error_key(excinfo) == "data.no_rows"


def test_unknown_format_lists_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(DojoError) as excinfo:
        load_table(b"a,b\n1,2\n", name="data.docx")
    assert _error_key(excinfo) == "data.unknown_format"
    assert ".parquet" in str(excinfo.value)
    with pytest.raises(DojoError):
        load_table(b"a,b\n1,2\n")


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "big.csv", "a\n" + "1\n" * 1000)
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: pytest.fail("read despite the limit"))
    with pytest.raises(DojoError) as excinfo:
        load_table(path, options=LoadOptions(max_bytes=100))
    assert _error_key(excinfo) == "data.too_large"
    assert "DOJO_MAX_UPLOAD_MB" in str(excinfo.value) and "DOJO_MAX_UPLOAD_MB" in excinfo.value.message("ja")
    monkeypatch.setenv("DOJO_MAX_UPLOAD_MB", "0.0001")
    with pytest.raises(DojoError) as excinfo:
        load_table(path)
    assert _error_key(excinfo) == "data.too_large"


@pytest.mark.parametrize("name, content", [
    ("bad.parquet", b"not a parquet file at all"),
    ("bad.xlsx", b"PK\x03\x04 broken zip"),
    ("bad.xlsx", b"plain text, not a workbook"),
    ("bad.h5", b"not hdf5" * 20),
    ("bad.npy", b"\x93NUMPY broken"),
    ("bad.npz", b"PK\x03\x04 broken"),
    ("bad.json", b"{not json"),
    ("bad.csv", b'a,b\n1,"unterminated\n2,3\n' + b"x" * 10),
])
def test_corrupt_files_are_unreadable(name: str, content: bytes) -> None:
    with pytest.raises(DojoError) as excinfo:
        load_table(content, name=name)
    assert _error_key(excinfo) in ("data.unreadable", "data.empty_file")


def test_parser_error_is_wrapped(tmp_path: Path) -> None:
    path = _write(tmp_path / "ragged.csv", "a,b\n1,2\n3,4,5,6\n")
    with pytest.raises(DojoError) as excinfo:
        load_table(path)
    assert _error_key(excinfo) == "data.unreadable"


def test_hdf5_without_pandas_tables(tmp_path: Path) -> None:
    import tables

    path = tmp_path / "raw.h5"
    with tables.open_file(path, "w") as handle:
        handle.create_array("/", "values", np.arange(3))
    with pytest.raises(DojoError) as excinfo:
        load_table(path)
    assert _error_key(excinfo) == "data.hdf_no_tables"


# ---------------------------------------------------------------- the real files


def test_house_prices(shared_data: Path) -> None:
    loaded = load_table(shared_data / "house_prices.csv")
    frame = loaded.frame
    assert frame.shape == (1460, 81)
    assert pd.api.types.is_numeric_dtype(frame["LotFrontage"]) and frame["LotFrontage"].isna().any()
    assert pd.api.types.is_integer_dtype(frame["SalePrice"])


def test_churn_txt_is_comma_separated(shared_data: Path) -> None:
    loaded = load_table(shared_data / "churn.txt")
    assert loaded.delimiter == "," and loaded.frame.shape == (5000, 21)
    assert set(loaded.frame["Churn?"]) == {"True.", "False."}


# ---------------------------------------------------------------- the message catalog


def _data_catalog() -> dict[str, dict[str, str]]:
    path = Path(data_module.__file__).with_name("locales") / "data.toml"
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    out: dict[str, dict[str, str]] = {}

    def walk(table: dict, prefix: str) -> None:
        for key, value in table.items():
            if isinstance(value, dict) and "en" in value:
                out[prefix + key] = value
            elif isinstance(value, dict):
                walk(value, f"{prefix}{key}.")

    walk(raw, "")
    return out


def test_every_data_message_has_both_languages_with_the_same_placeholders() -> None:
    catalog = _data_catalog()
    assert catalog and all(key.startswith("data.") for key in catalog)
    for key, texts in catalog.items():
        assert texts.get("en") and texts.get("ja"), key
        assert placeholders(texts["en"]) == placeholders(texts["ja"]), key


def test_every_key_used_in_the_code_is_in_the_catalog() -> None:
    catalog = _data_catalog()
    core = Path(data_module.__file__).parent
    used: set[str] = set()
    for module in ("data.py", "profiling.py", "splitting.py", "samples.py"):
        used |= set(re.findall(r'"(data\.[a-z_.]+[a-z_])"', (core / module).read_text("utf-8")))
    used |= {f"data.leakage_{task}" for task in ("classification", "regression")}
    used |= {f"data.sample.{s}.{part}" for s in ("iris", "wine", "breast_cancer", "diabetes")
             for part in ("title", "description")}
    used = {key for key in used if not key.endswith((".py", ".toml"))}
    assert used - set(catalog) == set()
