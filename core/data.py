"""Loading data files of every supported format into a DataFrame."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import tempfile
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from core import config
from core.errors import DojoError
from core.i18n import Message

MISSING_MARKERS: tuple[str, ...] = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?", "-")
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xls", ".json", ".jsonl",
    ".ndjson", ".h5", ".hdf5", ".hdf", ".npy", ".npz",
)

# Suffix -> the format name recorded in LoadedData.file_format.
FORMATS: dict[str, str] = {
    ".csv": "csv", ".tsv": "tsv", ".txt": "txt", ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xls": "excel", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".h5": "hdf5", ".hdf5": "hdf5", ".hdf": "hdf5", ".npy": "npy", ".npz": "npz",
}
TEXT_FORMATS: frozenset[str] = frozenset({"csv", "tsv", "txt", "json", "jsonl"})

SAMPLE_BYTES = 64 * 1024          # sniffing and encoding detection look at this much only
_CHUNK_BYTES = 1024 * 1024
_DELIMITERS: tuple[str, ...] = (",", "\t", ";", "|")
_WHITESPACE_SEP = r"\s+"
# Tried strictly, in order, before charset-normalizer: it guesses short Japanese samples badly.
_JAPANESE_ENCODINGS: tuple[str, ...] = ("cp932", "euc_jp")
# Encodings recognised by strict decoding; any other one is a guess worth telling the user.
_CONFIDENT_ENCODINGS: frozenset[str] = frozenset({"utf-8", "utf-8-sig", *_JAPANESE_ENCODINGS})
_X_NAMES: tuple[str, ...] = ("X", "x", "data", "features")
_Y_NAMES: tuple[str, ...] = ("y", "target", "labels", "label")

# Parser failures that mean "this file is not what its name says", not a bug in Model Dojo.
_READ_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, OSError, EOFError, KeyError, IndexError, TypeError, UnicodeError,
    RuntimeError, zipfile.BadZipFile, pd.errors.ParserError, AttributeError,
)
try:  # optional parsers: add their error types when the package is installed
    import pyarrow
    _READ_ERRORS += (pyarrow.ArrowException,)
except ImportError:  # pragma: no cover - pyarrow is a dependency
    pass


@dataclass
class LoadOptions:
    """Choices the caller makes for formats that hold several tables or arrays."""

    sheet: str | None = None
    hdf_key: str | None = None
    npz_x: str | None = None
    npz_y: str | None = None
    max_bytes: int | None = None  # None: config.max_upload_bytes()


@dataclass
class LoadedData:
    """A loaded table and where it came from."""

    frame: pd.DataFrame
    name: str
    sha256: str
    file_format: str
    encoding: str | None = None
    # Alternatives the caller may pick from, e.g. {"hdf_key": [...], "npz_arrays": [...], "sheet": [...]}
    choices: dict[str, list[str]] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)
    delimiter: str | None = None   # the separator used for csv/tsv/txt ("\\s+" for whitespace)
    size_bytes: int = 0            # size of the raw file


@dataclass
class _Source:
    """The raw input: a path on disk or bytes held in memory, plus what we learnt up front."""

    name: str
    suffix: str
    path: Path | None
    data: bytes | None
    size: int
    sha256: str = ""
    head: bytes = b""   # the first SAMPLE_BYTES bytes

    def open(self) -> BinaryIO:
        """A fresh binary handle; bytes are wrapped, not copied."""
        if self.path is not None:
            return self.path.open("rb")
        return io.BytesIO(self.data or b"")

    @property
    def complete_head(self) -> bool:
        return len(self.head) >= self.size


def load_table(source: str | Path | bytes, name: str | None = None,
               options: LoadOptions | None = None) -> LoadedData:
    """Load ``source`` (a path or the raw bytes of an upload named ``name``).

    Parameters
    ----------
    source : str, Path or bytes
        A file path, or the raw bytes of an uploaded file.
    name : str, optional
        The file name; required for bytes (its suffix picks the format). For a path it
        overrides the displayed name and the format.
    options : LoadOptions, optional
        Sheet, HDF key, npz arrays and the size limit.

    Returns
    -------
    LoadedData
        The tidied frame, its sha256, format, encoding, choices and notes.

    Raises
    ------
    DojoError
        Missing, empty, too large, unknown or unreadable files, and unknown sheet/key/array.
    """
    options = options or LoadOptions()
    src = _open_source(source, name)
    _check_size(src, options)
    _hash_and_sample(src)
    if src.size == 0 or (FORMATS[src.suffix] in TEXT_FORMATS and src.complete_head
                         and not src.head.strip()):
        raise DojoError("data.empty_file", name=src.name)
    loaded = _READERS[FORMATS[src.suffix]](src, options)
    loaded.frame = _tidy_columns(loaded.frame, loaded.notes)
    if loaded.frame.shape[1] == 0:
        raise DojoError("data.empty_file", name=src.name)
    if len(loaded.frame) == 0:
        raise DojoError("data.no_rows", name=src.name)
    return loaded


# ---------------------------------------------------------------- source handling


def _open_source(source: str | Path | bytes | bytearray | memoryview, name: str | None) -> _Source:
    """Validate the path or bytes and work out name, suffix and size."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source) if not isinstance(source, bytes) else source
        # Browsers on Windows may send C:\folder\file.csv; only the last part is the name.
        display = Path(name.replace("\\", "/")).name if name else "upload"
        src = _Source(display, Path(display).suffix.lower(), None, data, len(data))
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise DojoError("data.file_not_found", path=str(path))
        display = Path(name).name if name else path.name
        src = _Source(display, Path(display).suffix.lower(), path, None, path.stat().st_size)
    if src.suffix not in FORMATS:
        raise DojoError("data.unknown_format", name=src.name,
                        supported=", ".join(SUPPORTED_SUFFIXES))
    return src


def _check_size(src: _Source, options: LoadOptions) -> None:
    """Refuse files over the limit before reading a single byte of them."""
    limit = options.max_bytes if options.max_bytes is not None else config.max_upload_bytes()
    if src.size > limit:
        raise DojoError("data.too_large", name=src.name, size_mb=_megabytes(src.size),
                        limit_mb=_megabytes(limit))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _hash_and_sample(src: _Source) -> None:
    """Hash the raw bytes in chunks (no second copy in memory) and keep the head for sniffing."""
    if src.data is not None:
        src.sha256 = hashlib.sha256(src.data).hexdigest()
        src.head = src.data[:SAMPLE_BYTES]
        return
    digest = hashlib.sha256()
    with src.open() as handle:
        src.head = handle.read(SAMPLE_BYTES)
        digest.update(src.head)
        for chunk in iter(lambda: handle.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    src.sha256 = digest.hexdigest()


def _base_result(src: _Source, frame: pd.DataFrame, file_format: str, **extra: Any) -> LoadedData:
    return LoadedData(frame=frame, name=src.name, sha256=src.sha256, file_format=file_format,
                      size_bytes=src.size, **extra)


def _unreadable(src: _Source, error: BaseException) -> DojoError:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return DojoError("data.unreadable", name=src.name, format=FORMATS[src.suffix],
                     detail=detail[:200])


# ---------------------------------------------------------------- encodings


def _decodes(sample: bytes, encoding: str, final: bool) -> bool:
    """Whether ``sample`` decodes strictly; a character cut at the end of a sample is fine."""
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=final)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _japanese_score(text: str) -> int:
    """Prefer decodings full of kana/kanji over ones full of half-width kana or private-use junk."""
    good = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    bad = sum(1 for ch in text if "\uff61" <= ch <= "\uff9f" or "\ue000" <= ch <= "\uf8ff")
    return good - 2 * bad


def detect_encoding(sample: bytes, final: bool = True) -> str:
    """The text encoding of ``sample``: UTF-8 (with or without BOM), cp932, EUC-JP or a guess.

    ``final`` says whether the sample is the whole file (else a truncated last character
    is tolerated).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decodes(sample, "utf-8", final):
        return "utf-8"
    fits = [enc for enc in _JAPANESE_ENCODINGS if _decodes(sample, enc, final)]
    if len(fits) > 1:
        fits.sort(key=lambda enc: -_japanese_score(sample.decode(enc, errors="ignore")))
    if fits:
        return fits[0]
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and _decodes(sample, best.encoding, final):
        return best.encoding
    return "latin-1"  # decodes any byte, so the table still loads; a note tells the user


def _fallback_encodings(tried: str) -> list[str]:
    """Encodings to try when a byte beyond the sample did not decode."""
    order = ["utf-8", *_JAPANESE_ENCODINGS, "cp1252", "latin-1"]
    return [enc for enc in order if enc != tried and not (tried == "utf-8-sig" and enc == "utf-8")]


def _decode_head(src: _Source, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(
        src.head, final=src.complete_head)


def _read_text(src: _Source, reader: Callable[[Any, str], pd.DataFrame], encoding: str,
               notes: list[Message]) -> tuple[pd.DataFrame, str]:
    """Run ``reader(handle, encoding)``; retry other encodings only if a later byte fails.

    The encoding comes from a sample; the parser decodes strictly, so a byte beyond the
    sample that does not fit shows up as UnicodeDecodeError and the next candidate is tried.
    """
    candidates = [encoding, *_fallback_encodings(encoding)]
    for position, candidate in enumerate(candidates):
        try:
            with src.open() as handle:
                frame = reader(handle, candidate)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError as error:
            raise DojoError("data.empty_file", name=src.name) from error
        except _READ_ERRORS as error:
            raise _unreadable(src, error) from error
        if position > 0 or candidate not in _CONFIDENT_ENCODINGS:
            notes.append(Message("data.encoding_fallback", {"name": src.name, "encoding": candidate}))
        return frame, candidate
    raise DojoError("data.unreadable", name=src.name, format=FORMATS[src.suffix],
                    detail="unknown text encoding")  # pragma: no cover - latin-1 always decodes


# ---------------------------------------------------------------- delimited text


def sniff_delimiter(text: str, suffix: str = ".txt") -> str:
    """The field separator of delimited ``text``: comma, tab, semicolon, pipe or whitespace.

    A separator wins when it splits (nearly) every line into the same number (>1) of fields;
    the one the suffix suggests (``.csv`` comma, ``.tsv`` tab) is kept when it qualifies.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    preferred = {".csv": ",", ".tsv": "\t"}.get(suffix)
    scores = {d: _consistent_fields([len(row) for row in csv.reader(lines, delimiter=d)])
              for d in _DELIMITERS}
    scores = {d: n for d, n in scores.items() if n > 1}
    if preferred in scores:
        return preferred
    if scores:
        return max(scores, key=lambda d: scores[d])
    if _consistent_fields([len(line.split()) for line in lines]) > 1:
        return _WHITESPACE_SEP
    return preferred or ","


def _consistent_fields(counts: list[int]) -> int:
    """The usual field count if at least 90% of lines share it, else 0."""
    if not counts:
        return 0
    value, hits = Counter(counts).most_common(1)[0]
    return value if hits >= 0.9 * len(counts) else 0


def _read_delimited(src: _Source, options: LoadOptions) -> LoadedData:
    notes: list[Message] = []
    encoding = detect_encoding(src.head, final=src.complete_head)
    sample_text = _decode_head(src, encoding)
    if not src.complete_head:  # the last line of a truncated sample is partial
        sample_text = sample_text.rsplit("\n", 1)[0]
    sep = sniff_delimiter(sample_text, src.suffix)

    def reader(handle: BinaryIO, encoding: str) -> pd.DataFrame:
        # pandas parses a path twice as fast as an open handle (it decodes in C).
        source = src.path if src.path is not None else handle
        return pd.read_csv(source, sep=sep, encoding=encoding, keep_default_na=False,
                           na_values=list(MISSING_MARKERS), skipinitialspace=sep != _WHITESPACE_SEP)

    frame, encoding = _read_text(src, reader, encoding, notes)
    return _base_result(src, frame, FORMATS[src.suffix], encoding=encoding, notes=notes,
                        delimiter=sep)


# ---------------------------------------------------------------- JSON


def _is_json_lines(text: str) -> bool:
    """JSON lines: the first line is a whole object, and more lines follow or it is one record."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines or not lines[0].lstrip().startswith("{"):
        return False
    try:
        first = json.loads(lines[0])
    except ValueError:
        return False
    # A single object of scalars is one record; an object of lists is a table by column.
    return isinstance(first, dict) and (len(lines) > 1 or not any(
        isinstance(value, (list, dict)) for value in first.values()))


def _read_json(src: _Source, options: LoadOptions) -> LoadedData:
    notes: list[Message] = []
    encoding = detect_encoding(src.head, final=src.complete_head)
    lines = src.suffix in (".jsonl", ".ndjson") or _is_json_lines(_decode_head(src, encoding))

    def reader(handle: BinaryIO, enc: str) -> pd.DataFrame:
        text_handle = io.TextIOWrapper(handle, encoding=enc, errors="strict")
        frame = pd.read_json(text_handle, lines=lines)
        return frame.to_frame() if isinstance(frame, pd.Series) else frame

    frame, encoding = _read_text(src, reader, encoding, notes)
    return _base_result(src, _standardize_missing(frame), "jsonl" if lines else "json",
                        encoding=encoding, notes=notes)


# ---------------------------------------------------------------- binary tables


def _read_parquet(src: _Source, options: LoadOptions) -> LoadedData:
    try:
        with src.open() as handle:
            frame = pd.read_parquet(handle)
    except _READ_ERRORS as error:
        raise _unreadable(src, error) from error
    return _base_result(src, _standardize_missing(frame), "parquet")


def _read_excel(src: _Source, options: LoadOptions) -> LoadedData:
    engine = "xlrd" if src.suffix == ".xls" else "openpyxl"
    # Imported here, not with this module: only Excel files need it.
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        with src.open() as handle, pd.ExcelFile(handle, engine=engine) as book:
            sheets = [str(s) for s in book.sheet_names]
            sheet = _pick(options.sheet, sheets, "data.sheet_not_found", "sheet", src)
            frame = book.parse(sheet, keep_default_na=False, na_values=list(MISSING_MARKERS))
    except ImportError as error:
        raise DojoError("data.excel_legacy", name=src.name) from error
    except (*_READ_ERRORS, InvalidFileException) as error:
        raise _unreadable(src, error) from error
    result = _base_result(src, _standardize_missing(frame), "excel", choices={"sheet": sheets})
    if len(sheets) > 1 and options.sheet is None:
        result.notes.append(Message("data.first_sheet_used", {"sheet": sheet, "count": len(sheets)}))
    return result


def _pick(requested: str | None, available: list[str], key: str, param: str, src: _Source) -> str:
    """The requested item if present (else DojoError), or the first one."""
    if not available:
        raise DojoError("data.unreadable", name=src.name, format=FORMATS[src.suffix],
                        detail="no tables found")
    if requested is None:
        return available[0]
    if requested not in available:
        raise DojoError(key, name=src.name, available=", ".join(available), **{param: requested})
    return requested


def _read_hdf(src: _Source, options: LoadOptions) -> LoadedData:
    if src.path is not None:
        return _read_hdf_path(src, src.path, options)
    # PyTables reads from a file name only, so an upload goes through a temporary file.
    handle, temp_name = tempfile.mkstemp(suffix=".h5")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(src.data or b"")
        return _read_hdf_path(src, Path(temp_name), options)
    finally:
        Path(temp_name).unlink(missing_ok=True)


def _read_hdf_path(src: _Source, path: Path, options: LoadOptions) -> LoadedData:
    requested = options.hdf_key.lstrip("/") if options.hdf_key else None
    try:
        with warnings.catch_warnings(), pd.HDFStore(path, mode="r") as store:
            warnings.simplefilter("ignore")
            keys = [key.lstrip("/") for key in store.keys()]
            if not keys:
                raise DojoError("data.hdf_no_tables", name=src.name)
            key = _pick(requested, keys, "data.hdf_key_not_found", "hdf_key", src)
            frame = store[key]
    except _READ_ERRORS as error:
        raise _unreadable(src, error) from error
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    result = _base_result(src, _standardize_missing(frame), "hdf5", choices={"hdf_key": keys})
    if len(keys) > 1 and requested is None:
        result.notes.append(Message("data.first_hdf_key_used", {"hdf_key": key, "count": len(keys)}))
    return result


# ---------------------------------------------------------------- numpy arrays


def _array_frame(array: np.ndarray, src: _Source, array_name: str) -> pd.DataFrame:
    """A 2-D array as columns x0..xN-1, a 1-D array as one column, a record array by field."""
    if array.dtype.names:
        return pd.DataFrame(array)
    if array.ndim == 1:
        return pd.DataFrame({"x0": array})
    if array.ndim == 2:
        return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])
    raise DojoError("data.array_shape", name=src.name, array=array_name,
                    shape=" × ".join(str(n) for n in array.shape))


def _load_array(loader: Callable[[], np.ndarray], src: _Source) -> np.ndarray:
    """Load one array without pickle: object arrays could run code, so they are refused."""
    try:
        return loader()
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise DojoError("data.array_pickled", name=src.name) from error
        raise _unreadable(src, error) from error
    except _READ_ERRORS as error:
        raise _unreadable(src, error) from error


def _read_npy(src: _Source, options: LoadOptions) -> LoadedData:
    with src.open() as handle:
        array = _load_array(lambda: np.load(handle, allow_pickle=False), src)
    return _base_result(src, _array_frame(array, src, src.name), "npy")


def _read_npz(src: _Source, options: LoadOptions) -> LoadedData:
    with src.open() as handle:
        try:
            archive = np.load(handle, allow_pickle=False)
        except _READ_ERRORS as error:
            raise _unreadable(src, error) from error
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise DojoError("data.unreadable", name=src.name, format="npz", detail="not an npz archive")
        with archive:
            names = list(archive.files)
            shapes = _npz_shapes(archive, src)
            x_name, y_name = _choose_npz_arrays(names, shapes, options, src)
            frame = _array_frame(_load_array(lambda: archive[x_name], src), src, x_name)
            if y_name is not None:
                frame = _attach_target(frame, _load_array(lambda: archive[y_name], src), y_name, src)
    notes = [Message("data.npz_arrays_used", {"x": x_name, "y": y_name or "-"})]
    return _base_result(src, frame, "npz", choices={"npz_arrays": names}, notes=notes)


def _npz_shapes(archive: np.lib.npyio.NpzFile, src: _Source) -> dict[str, tuple[int, ...]]:
    """Each array's shape from its header alone, so choosing X and y loads no data."""
    members = set(archive.zip.namelist())
    shapes: dict[str, tuple[int, ...]] = {}
    try:
        for name in archive.files:
            with archive.zip.open(name if name in members else f"{name}.npy") as handle:
                version = np.lib.format.read_magic(handle)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shapes[name] = read_header(handle)[0]
    except _READ_ERRORS as error:
        raise _unreadable(src, error) from error
    return shapes


def _choose_npz_arrays(names: list[str], shapes: dict[str, tuple[int, ...]],
                       options: LoadOptions, src: _Source) -> tuple[str, str | None]:
    """The caller's X and y arrays, or by convention: X/x/data/features and y/target/labels."""
    for requested in (options.npz_x, options.npz_y):
        if requested is not None and requested not in names:
            raise DojoError("data.npz_array_not_found", name=src.name, array=requested,
                            available=", ".join(names))
    two_d = [n for n in names if len(shapes.get(n, ())) == 2]
    one_d = [n for n in names if len(shapes.get(n, ())) == 1]
    x_name = options.npz_x or next((n for n in _X_NAMES if n in two_d), None) or next(iter(two_d), None)
    if x_name is None:
        raise DojoError("data.npz_no_table", name=src.name, available=", ".join(names))
    y_name = options.npz_y or next((n for n in _Y_NAMES if n in one_d and n != x_name), None)
    return x_name, y_name


def _attach_target(frame: pd.DataFrame, y: np.ndarray, y_name: str, src: _Source) -> pd.DataFrame:
    """Add ``y`` as the column "target" (a single-column 2-D array counts as 1-D)."""
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1 or len(y) != len(frame):
        raise DojoError("data.npz_length_mismatch", name=src.name, y=y_name,
                        y_rows=len(y) if y.ndim else 0, x_rows=len(frame))
    frame["target"] = y
    return frame


_READERS: dict[str, Callable[[_Source, LoadOptions], LoadedData]] = {
    "csv": _read_delimited, "tsv": _read_delimited, "txt": _read_delimited,
    "json": _read_json, "jsonl": _read_json, "parquet": _read_parquet, "excel": _read_excel,
    "hdf5": _read_hdf, "npy": _read_npy, "npz": _read_npz,
}


# ---------------------------------------------------------------- tidying


def _standardize_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Treat missing markers in text columns as NaN and make numeric-looking text numeric.

    The CSV parser does this itself; formats that store strings (JSON, Excel, parquet, HDF5)
    need it afterwards so that e.g. "?" among numbers does not turn a column into text.
    """
    markers = list(MISSING_MARKERS)
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if not (pd.api.types.is_string_dtype(column) or pd.api.types.is_object_dtype(column)):
            continue
        if pd.api.types.is_object_dtype(column) and column.map(type).isin([dict, list]).any():
            continue  # nested JSON: leave as is
        is_marker = column.isin(markers)
        cleaned = column.mask(is_marker) if is_marker.any() else column
        numbers = pd.to_numeric(cleaned, errors="coerce")
        if cleaned.notna().any() and numbers.notna().sum() == cleaned.notna().sum():
            frame.isetitem(position, numbers)
        elif is_marker.any():
            frame.isetitem(position, cleaned)
    return frame


def _tidy_columns(frame: pd.DataFrame, notes: list[Message]) -> pd.DataFrame:
    """Strip names, drop fully-empty unnamed columns, make duplicate names unique."""
    names = [str(c).strip() for c in frame.columns]
    unnamed = [i for i, n in enumerate(names) if (n == "" or n.startswith("Unnamed:"))
               and frame.iloc[:, i].isna().all()]
    if unnamed:
        keep = [i for i in range(len(names)) if i not in set(unnamed)]
        frame = frame.iloc[:, keep]
        names = [names[i] for i in keep]
        notes.append(Message("data.dropped_empty_columns", {"count": len(unnamed)}))
    names = [n if n else f"Unnamed: {i}" for i, n in enumerate(names)]
    unique = _unique_names(names)
    renamed = [new for old, new in zip(names, unique) if old != new]
    if renamed:
        notes.append(Message("data.renamed_duplicate_columns", {"columns": ", ".join(renamed)}))
    frame.columns = unique
    return frame


def _unique_names(names: list[str]) -> list[str]:
    """Suffix repeated names with .1, .2, ... without colliding with any other name."""
    used: set[str] = set(names)
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, counter = name, 0
        while candidate in seen or (counter > 0 and candidate in used):
            counter += 1
            candidate = f"{name}.{counter}"
        seen.add(candidate)
        out.append(candidate)
    return out
