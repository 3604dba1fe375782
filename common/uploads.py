"""Read an uploaded CSV or .xlsx file into rows of strings, refusing hostile files first.

Knows nothing of KPIs: the domain importer takes the rows. Every refusal is an UploadError whose
str() an admin can act on. Limits are read from Django settings at call time (IMPORT_*), falling
back to the module constants below.
"""

import copy
import csv
import datetime
import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.conf import settings

# Defaults; each can be overridden by the Django setting named in _DEFAULTS below.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000  # below the header, counted by row number in the file
MAX_COLUMNS = 200
MAX_CELLS = 5_000_000  # rows x columns handed back, header included
# Zip-bomb thresholds, checked before anything is unpacked. A real KPI workbook holds a few dozen
# parts, unpacks to a few MB, and its XML compresses 5-30:1. Deflate reaches about 1,000:1, so
# 100:1 (Apache POI's ZipSecureFile default) leaves ample room for real files; parts under 1 MB
# are exempt because small repetitive XML legitimately compresses well and cannot hurt.
MAX_ZIP_MEMBERS = 1_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
# calamine builds the whole rectangle a sheet's values span (32 bytes a cell) before it hands
# over a row, so a few bytes of XML naming cell XFD1048576 ask for 550 GB and Rust aborts the
# process. It therefore runs in a child process whose address space the kernel caps.
READER_MEMORY_BYTES = 1024 * 1024 * 1024
READER_SECONDS = 120
# Text files have almost no control characters; random bytes read as cp1252 have about 12%.
MAX_CONTROL_SHARE = 0.05

_DEFAULTS = {
    "IMPORT_MAX_UPLOAD_BYTES": MAX_UPLOAD_BYTES,
    "IMPORT_MAX_ROWS": MAX_ROWS,
    "IMPORT_MAX_COLUMNS": MAX_COLUMNS,
    "IMPORT_MAX_CELLS": MAX_CELLS,
    "IMPORT_MAX_ZIP_MEMBERS": MAX_ZIP_MEMBERS,
    "IMPORT_MAX_UNPACKED_BYTES": MAX_UNPACKED_BYTES,
    "IMPORT_MAX_COMPRESSION_RATIO": MAX_COMPRESSION_RATIO,
    "IMPORT_RATIO_CHECK_ABOVE_BYTES": RATIO_CHECK_ABOVE_BYTES,
    "IMPORT_READER_MEMORY_BYTES": READER_MEMORY_BYTES,
    "IMPORT_READER_SECONDS": READER_SECONDS,
}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected workbooks
_WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_EXCEL_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # of compression
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CHUNK = 64 * 1024
_PROJECT = Path(__file__).resolve().parent.parent  # where the child process finds ccgportal
_REFUSED, _OUT_OF_MEMORY = 3, 4  # the child's exit codes besides 0


class UploadError(ValueError):
    """A file refused before import; str() is the message shown to the admin."""


@dataclass(frozen=True)
class UploadedTable:
    name: str
    sha256: str
    format: str  # "csv" or "xlsx"
    encoding: str | None  # for CSV: "utf-8", "utf-8-sig" or "cp1252"
    header: list[str]  # stripped header cells, padded with '' to the widest row
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells padded to the header)


def read_upload(name: str, data: bytes, *, sheet: str | None = None) -> UploadedTable:
    """Check and read one uploaded file; `sheet` picks an Excel worksheet (default: the first
    visible one) and is ignored for CSV."""
    if not data:
        raise UploadError(f"{name} is empty.")
    if len(data) > (limit := _limit("IMPORT_MAX_UPLOAD_BYTES")):
        raise UploadError(
            f"{name} is {_size(len(data))}; the largest file accepted is {_size(limit)}."
        )
    if data.startswith(_OLE_MAGIC):
        raise UploadError(
            f"{name} is an old-style .xls or a password-protected workbook; "
            "save it from Excel as an .xlsx without a password, or as CSV."
        )
    # Content decides the format: a workbook renamed .csv is still read as a workbook.
    if data.startswith(_ZIP_MAGIC):
        _check_package(name, data)
        fmt, encoding, (header, rows) = "xlsx", None, _read_workbook(name, data, sheet)
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise UploadError(f"{name} is not an Excel workbook: its content is not an .xlsx file.")
    else:
        text, encoding = _decode_text(name, data)
        fmt, (header, rows) = "csv", _table(name, _csv_records(name, text))
    return UploadedTable(name, hashlib.sha256(data).hexdigest(), fmt, encoding, header, rows)


def neutralise_for_export(text: str) -> str:
    """Prefix ' to a cell a spreadsheet would run as a formula (OWASP CSV injection guidance).

    Every CSV/Excel export calls this on text cells; numbers should be written as numbers.
    """
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _limit(setting: str) -> int:
    """A Django setting if the project sets it, else this module's default."""
    return getattr(settings, setting, _DEFAULTS[setting])


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


# CSV


def _decode_text(name: str, data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) strictly, else Windows-1252, as Excel on Windows saves."""
    garbage = UploadError(
        f"{name} is not a CSV text file or an Excel workbook (it looks like binary data). "
        "Save it from Excel as .xlsx or as 'CSV UTF-8'."
    )
    if b"\x00" in data:  # also catches UTF-16 'Unicode text', which this portal does not read
        raise garbage
    for encoding in ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
            raise garbage
        return text, encoding
    raise garbage


def _csv_records(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    # Numbered by record, as Excel shows the file: a quoted cell's line breaks stay in its row.
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, cells
    except csv.Error as exc:
        raise UploadError(f"{name} row {number + 1} cannot be read as CSV: {exc}.") from None


# Excel package checks: all run on the zip's directory and streams, before calamine sees it.


def _check_package(name: str, data: bytes) -> None:
    package = _open_package(name, data)
    _check_declared_members(name, package)
    _check_xml_parts(name, package)
    _check_unpacked_sizes(name, package)


def _open_package(name: str, data: bytes) -> zipfile.ZipFile:
    # Counted on the raw bytes before zipfile builds an object per entry: every central
    # directory entry starts with this signature, so the count is never too low.
    if data.count(b"PK\x01\x02") > (most := _limit("IMPORT_MAX_ZIP_MEMBERS")):
        raise UploadError(f"{name} holds more than {most:,} files inside; refused as a zip bomb.")
    # One reading of the archive for zipfile and calamine's Rust zip alike: the end record last,
    # with no comment, right after the central directory. Excel and openpyxl write nothing else.
    end = data[-22:].rjust(22, b"\0")
    cd_size, cd_offset, comment = struct.unpack("<IIH", end[12:])
    if (
        end[:4] != b"PK\x05\x06"
        or comment
        or (cd_offset != 0xFFFFFFFF and cd_offset + cd_size != len(data) - 22)
    ):
        raise UploadError(f"{name} is a damaged or crafted zip file; save it again from Excel.")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile raises many types on malformed input; all mean damaged
        raise UploadError(f"{name} is a damaged zip or Excel file ({exc}).") from None
    if not set(_WORKBOOK_PARTS) <= set(package.namelist()):
        raise UploadError(f"{name} is not an Excel workbook: it is a zip without a workbook in it.")
    return package


def _check_declared_members(name: str, package: zipfile.ZipFile) -> None:
    """Refuse on what the zip's directory declares, before a byte is unpacked."""
    seen: set[str] = set()
    total = 0
    for info in package.infolist():
        path = info.filename.replace("\\", "/")
        parts = path.split("/")
        if path.startswith("/") or ".." in parts or ":" in parts[0]:
            raise UploadError(f"{name} contains an unsafe file path ({info.filename!r}).")
        if path.lower() in seen:  # readers disagree on which copy wins; Excel never writes two
            raise UploadError(f"{name} contains {info.filename} twice; it looks crafted.")
        seen.add(path.lower())
        if info.flag_bits & 0x1 or info.compress_type not in _EXCEL_METHODS:
            raise UploadError(f"{name} uses encryption or compression that Excel does not write.")
        total += info.file_size
        _check_unpacked(name, info, info.file_size, total)


def _check_unpacked(name: str, info: zipfile.ZipInfo, size: int, total: int) -> None:
    ratio = _limit("IMPORT_MAX_COMPRESSION_RATIO")
    floor = _limit("IMPORT_RATIO_CHECK_ABOVE_BYTES")
    if size > floor and size > ratio * max(info.compress_size, 1):
        raise UploadError(
            f"{name} contains {info.filename} compressed more than {ratio}:1; "
            "refused as a possible zip bomb."
        )
    if total > (limit := _limit("IMPORT_MAX_UNPACKED_BYTES")):
        raise UploadError(
            f"{name} would unpack to more than {_size(limit)}; refused as a zip bomb."
        )


def _check_xml_parts(name: str, package: zipfile.ZipFile) -> None:
    """The two parts every workbook has must be plain XML: no entity or external declarations."""
    for part in _WORKBOOK_PARTS:
        parser = DefusedXMLParser(target=_IgnoreXml())  # streams; builds no tree
        try:
            with package.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.feed(chunk)
            parser.close()
        except DefusedXmlException:
            raise UploadError(
                f"{name} declares XML entities in {part}, which Excel never writes; "
                "refused as a possible XML bomb."
            ) from None
        except (ParseError, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise UploadError(f"{name} is damaged: {part} cannot be read ({exc}).") from None


class _IgnoreXml:
    """A parser target with no callbacks, so parsing keeps nothing in memory."""


def _check_unpacked_sizes(name: str, package: zipfile.ZipFile) -> None:
    """Unpack each member into nothing, counting: its directory entry may lie about its size."""
    limit = _limit("IMPORT_MAX_UNPACKED_BYTES")
    ratio = _limit("IMPORT_MAX_COMPRESSION_RATIO")
    floor = _limit("IMPORT_RATIO_CHECK_ABOVE_BYTES")
    total = 0
    for info in package.infolist():
        allowed = min(limit - total, max(floor, ratio * info.compress_size))
        unpacked = _unpacked_size(name, package, info, allowed)
        total += unpacked
        _check_unpacked(name, info, unpacked, total)
        if unpacked != info.file_size:
            raise UploadError(f"{name} is damaged: {info.filename} is not the size it declares.")


def _unpacked_size(name: str, package: zipfile.ZipFile, info: zipfile.ZipInfo, allowed: int) -> int:
    # zipfile stops at the declared size, so read through a copy of the entry declaring more than
    # we ever read (a chunk of read-ahead included): the loop below stops the reading, and where
    # the data really ends first, zipfile still checks its CRC.
    probe = copy.copy(info)
    probe.file_size = allowed + 2 * _CHUNK
    unpacked = 0
    try:
        with package.open(probe) as stream:
            while unpacked <= allowed and (chunk := stream.read(_CHUNK)):
                unpacked += len(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UploadError(f"{name} is damaged: {info.filename} ({exc}).") from None
    return unpacked


# Excel reading, in a child process with capped memory and time.


def _read_workbook(name: str, data: bytes, sheet: str | None) -> tuple[list[str], list]:
    limits = {setting: _limit(setting) for setting in _DEFAULTS}
    seconds = _limit("IMPORT_READER_SECONDS")
    python_path = os.pathsep.join(filter(None, [str(_PROJECT), os.environ.get("PYTHONPATH")]))
    try:
        done = subprocess.run(  # noqa: S603 - this interpreter running this module, fixed arguments
            [sys.executable, "-c", "from common.uploads import _child; _child()"],
            input=json.dumps([name, sheet, limits]).encode() + b"\n" + data,
            capture_output=True,
            timeout=seconds,
            env={**os.environ, "PYTHONPATH": python_path},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UploadError(f"{name} took more than {seconds} seconds to read; refused.") from None
    if done.returncode == 0:
        header, rows = json.loads(done.stdout)
        return header, [(number, cells) for number, cells in rows]
    if done.returncode == _REFUSED:
        raise UploadError(done.stderr.decode())
    if done.returncode in (_OUT_OF_MEMORY, -6, -9):  # MemoryError, Rust's abort, the OOM killer
        raise UploadError(
            f"{name} needs more memory to read than the portal allows: its cells span too many "
            "rows or columns. Delete unused rows and columns, then save it again."
        )
    raise UploadError(
        f"{name} could not be read as an Excel workbook (reader exit {done.returncode})."
    )


def _child() -> None:
    """Run in the child process: stdin holds a JSON line of arguments, then the file."""
    import resource  # Unix only, and needed only here

    arguments, data = sys.stdin.buffer.read().split(b"\n", 1)
    name, sheet, limits = json.loads(arguments)
    settings.configure(**limits)  # so that _limit reads the parent's values here too
    memory, hard = limits["IMPORT_READER_MEMORY_BYTES"], resource.getrlimit(resource.RLIMIT_AS)[1]
    memory = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        output = json.dumps(_table(name, _calamine_records(name, data, sheet)))
        if len(output) > limits["IMPORT_MAX_UNPACKED_BYTES"]:
            raise UploadError(f"{name} holds more text than the portal reads from one file.")
    except UploadError as refusal:
        sys.stderr.buffer.write(str(refusal).encode())
        sys.exit(_REFUSED)
    except MemoryError:
        sys.exit(_OUT_OF_MEMORY)
    sys.stdout.write(output)


def _calamine_records(name: str, data: bytes, sheet: str | None) -> Iterator[tuple[int, list]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        worksheet = workbook.get_sheet_by_name(_pick_sheet(name, workbook, sheet))
        if worksheet.end:  # the last cell holding a value: refuse before reading any row
            _check_shape(name, worksheet.end[0] + 1, worksheet.end[1] + 1, cells=0)
        # iter_rows starts at row 1 but at the first used column: pad back to column A.
        pad = [""] * (worksheet.start[1] if worksheet.start else 0)
        for number, values in enumerate(worksheet.iter_rows(), start=1):
            yield number, pad + [_cell_text(value) for value in values]
    except python_calamine.CalamineError as exc:
        raise UploadError(f"{name} could not be read as an Excel workbook ({exc}).") from None


def _pick_sheet(name: str, workbook: python_calamine.CalamineWorkbook, sheet: str | None) -> str:
    """The named worksheet, or else the first visible one (chart sheets hold no cells)."""
    kinds = python_calamine.SheetTypeEnum, python_calamine.SheetVisibleEnum
    worksheets = [meta for meta in workbook.sheets_metadata if meta.typ == kinds[0].WorkSheet]
    if sheet is None:
        visible = [meta.name for meta in worksheets if meta.visible == kinds[1].Visible]
        if not visible:
            raise UploadError(f"{name} has no visible worksheet.")
        return visible[0]
    if sheet not in (names := [meta.name for meta in worksheets]):
        raise UploadError(f"{name} has no worksheet called '{sheet}'; it has: {', '.join(names)}.")
    return sheet


def _cell_text(value: object) -> str:
    """The text a person sees in the cell, not Python's repr of calamine's value."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; more is binary noise (0.1+0.2 shows as 0.3).
        number = Decimal(format(value, ".15g"))
        return "0" if number == 0 else format(number.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):  # shown as [h]:mm:ss
        minutes, seconds = divmod(round(value.total_seconds()), 60)
        return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    return str(value)


# Shared shaping


def _table(
    name: str, records: Iterable[tuple[int, list]]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Strip cells and skip blank rows, keeping row numbers; the first row left is the header.

    The header is padded with '' to the widest row, so no value is dropped: a value under no
    heading is the importer's to judge. Trailing empty cells are dropped before measuring.
    """
    kept: list[tuple[int, list[str]]] = []
    width = 0
    for number, raw in records:
        cells = [cell.strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        width = max(width, len(cells))
        kept.append((number, cells))
        _check_shape(name, number, width, len(kept) * width)
    if not kept:
        raise UploadError(f"{name} has no rows.")
    for _, cells in kept:
        cells.extend([""] * (width - len(cells)))
    return kept[0][1], kept[1:]


def _check_shape(name: str, last_row: int, width: int, cells: int) -> None:
    if last_row > (max_rows := _limit("IMPORT_MAX_ROWS")) + 1:  # row 1: the header
        raise UploadError(f"{name} has more than {max_rows:,} rows below the header (the limit).")
    if width > (max_columns := _limit("IMPORT_MAX_COLUMNS")):
        raise UploadError(f"{name} has {width:,} columns; the limit is {max_columns:,}.")
    if cells > (max_cells := _limit("IMPORT_MAX_CELLS")):
        raise UploadError(f"{name} has more than {max_cells:,} cells (rows times columns).")
