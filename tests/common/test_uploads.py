"""Unit tests for common.uploads: CSV and .xlsx reading, and every hostile file refused."""

import datetime
import hashlib
import io
import random
import struct
import zipfile

import openpyxl
import pytest

from common.uploads import UploadError, neutralise_for_export, read_upload

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refused(name: str, data: bytes, *words: str, **kwargs) -> str:
    """read_upload refuses the file with a message naming it and containing every word."""
    with pytest.raises(UploadError) as caught:
        read_upload(name, data, **kwargs)
    message = str(caught.value)
    assert message.startswith(name)
    for word in words:
        assert word in message
    return message


def workbook(*rows, build=None) -> bytes:
    """An .xlsx made by openpyxl, as the portal's own exports and most tools make them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KPIs"
    for row in rows:
        sheet.append(row)
    if build:
        build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repack(data: bytes, replace: dict[str, bytes] | None = None, add=()) -> bytes:
    """The same package with some parts replaced and others added (name, bytes)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, replace.get(info.filename, old.read(info)), zipfile.ZIP_DEFLATED)
        for name, content in add:
            new.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_sheet_data(cells: str) -> bytes:
    """A workbook whose first sheet's XML holds exactly this <sheetData> content."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<worksheet xmlns="{MAIN}">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    return repack(workbook(["placeholder"]), {SHEET: xml.encode()})


# CSV


def test_utf8_csv_is_read_with_name_hash_and_stripped_cells():
    data = b"Ref, Indicator ,Value\n1,Calls answered,  96.5 \n"
    table = read_upload("q3.csv", data)
    assert (table.name, table.format, table.encoding) == ("q3.csv", "csv", "utf-8")
    assert table.sha256 == hashlib.sha256(data).hexdigest()
    assert table.header == ["Ref", "Indicator", "Value"]
    assert table.rows == [(2, ["1", "Calls answered", "96.5"])]


def test_utf8_with_byte_order_mark_keeps_the_first_heading_clean():
    table = read_upload("q3.csv", "\ufeffRef,Cost\n1,£5\n".encode())
    assert table.encoding == "utf-8-sig"
    assert table.header == ["Ref", "Cost"]
    assert table.rows == [(2, ["1", "£5"])]


def test_windows_1252_pound_sign_from_excel_on_windows():
    table = read_upload("costs.csv", b"Item,Cost\r\nRunning costs,\xa312.50\r\n")
    assert table.encoding == "cp1252"
    assert table.rows == [(2, ["Running costs", "£12.50"])]


def test_crlf_and_blank_lines_keep_the_file_row_numbers():
    data = b"Ref,Value\r\n\r\n1,10\r\n,,\r\n   ,\r\n2,20\r\n\r\n"
    assert read_upload("q.csv", data).rows == [(3, ["1", "10"]), (6, ["2", "20"])]


def test_short_rows_are_padded_and_trailing_empty_cells_dropped():
    table = read_upload("q.csv", b"Ref,Value,Comment,,\n1\n2,20,,,\n")
    assert table.header == ["Ref", "Value", "Comment"]
    assert table.rows == [(2, ["1", "", ""]), (3, ["2", "20", ""])]


def test_a_value_under_no_heading_is_kept_for_the_importer_to_judge():
    table = read_upload("q.csv", b"Ref,Value\n1,10,checked by JS\n")
    assert table.header == ["Ref", "Value", ""]
    assert table.rows == [(2, ["1", "10", "checked by JS"])]


def test_quoted_cells_keep_commas_and_line_breaks_and_count_as_one_row():
    data = b'Ref,Comment\r\n1,"Up, as planned"\r\n2,"Two\r\nlines"\r\n3,"said ""no"""\r\n'
    assert read_upload("q.csv", data).rows == [
        (2, ["1", "Up, as planned"]),
        (3, ["2", "Two\r\nlines"]),
        (4, ["3", 'said "no"']),
    ]


def test_formula_looking_cells_are_not_altered_on_the_way_in():
    table = read_upload("q.csv", b'Ref,Comment\n1,=HYPERLINK("x")\n2,-5\n')
    assert [cells[1] for _, cells in table.rows] == ['=HYPERLINK("x")', "-5"]


# Excel


def test_xlsx_numbers_stored_as_numbers_read_as_a_person_sees_them():
    data = workbook(
        ["Ref", "Count", "Rate", "Date", "Stamp", "Flag"],
        [1009, 3140, 96.5, datetime.date(2014, 3, 31), datetime.datetime(2014, 3, 31, 9, 30), True],
    )
    table = read_upload("q3.xlsx", data)
    assert (table.format, table.encoding) == ("xlsx", None)
    assert table.sha256 == hashlib.sha256(data).hexdigest()
    assert table.header == ["Ref", "Count", "Rate", "Date", "Stamp", "Flag"]
    assert table.rows == [
        (2, ["1009", "3140", "96.5", "2014-03-31", "2014-03-31T09:30:00", "TRUE"])
    ]


def test_xlsx_numbers_stored_as_text_stay_text():
    table = read_upload("q3.xlsx", workbook(["Ref", "Code"], ["1009", "0012"], ["96.50", " 7 "]))
    assert table.rows == [(2, ["1009", "0012"]), (3, ["96.50", "7"])]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("0.30000000000000004", "0.3"),  # Excel's own =0.1+0.2
        ("96.5", "96.5"),
        ("1009", "1009"),
        ("1E-7", "0.0000001"),
        ("1.5E+20", "150000000000000000000"),
        ("-0", "0"),
        ("0.1234567890123456789", "0.123456789012346"),
    ],
)
def test_xlsx_floats_become_plain_text_with_excel_precision(stored, shown):
    data = with_sheet_data(f'<row r="1"><c r="A1"><v>{stored}</v></c></row>')
    assert read_upload("n.xlsx", data).header == [shown]


def test_xlsx_blank_rows_are_skipped_and_leading_columns_kept():
    def build(book):
        sheet = book.active
        sheet["C3"], sheet["D3"] = "Ref", "Value"
        sheet["C6"], sheet["D6"] = 1, 10

    table = read_upload("q.xlsx", workbook(build=build))
    assert table.header == ["", "", "Ref", "Value"]
    assert table.rows == [(6, ["", "", "1", "10"])]


def test_xlsx_named_sheet_and_first_visible_sheet():
    def build(book):
        book.active.sheet_state = "hidden"
        book.create_sheet("Q3").append(["Quarter 3"])
        book.create_sheet("Q4").append(["Quarter 4"])

    data = workbook(["Lookups"], build=build)
    assert read_upload("q.xlsx", data).header == ["Quarter 3"]
    assert read_upload("q.xlsx", data, sheet="Q4").header == ["Quarter 4"]
    assert read_upload("q.xlsx", data, sheet="KPIs").header == ["Lookups"]
    refused("q.xlsx", data, "no worksheet called 'Q5'; it has: KPIs, Q3, Q4.", sheet="Q5")


def test_a_workbook_is_recognised_by_content_whatever_its_name():
    assert read_upload("q3.csv", workbook(["Ref"], [1])).format == "xlsx"


def test_cells_without_references_are_placed_as_excel_places_them():
    data = with_sheet_data(
        "<row><c><v>1</v></c><c/><c><v>3</v></c></row>"
        '<row r="4"><c><v>4</v></c></row>'
        '<row><c r="B5"><v>5</v></c><c><v>6</v></c></row>'
    )
    table = read_upload("q.xlsx", data)
    assert table.header == ["1", "", "3"]
    assert table.rows == [(4, ["4", "", ""]), (5, ["", "5", "6"])]


# Refusals: size, emptiness, format


def test_oversize_file_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    assert read_upload("q.csv", b"a" * 100).header == ["a" * 100]
    refused("q.csv", b"a" * 101, "is 101 bytes; the largest file accepted is 100 bytes.")


def test_default_size_limit_is_ten_megabytes():
    refused("big.csv", b"a" * (10 * 1024 * 1024 + 1), "the largest file accepted is 10.0 MB.")


def test_empty_file_and_file_of_blank_lines_are_refused():
    refused("q.csv", b"", "q.csv is empty.")
    refused("q.csv", b"\r\n , \r\n\r\n", "q.csv has no rows.")


def test_text_named_xlsx_is_not_an_excel_workbook():
    refused("q3.xlsx", b"Ref,Value\n1,2\n", "q3.xlsx is not an Excel workbook")


def test_zip_without_a_workbook_is_not_an_excel_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<w/>")
    refused("q3.xlsx", out.getvalue(), "is not an Excel workbook")


def test_old_xls_and_password_protected_workbooks_are_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    refused("q3.xls", ole, "old-style .xls or a password-protected workbook")


def test_random_bytes_are_binary_garbage():
    data = random.Random(7).randbytes(4096)
    refused("q3.csv", data, "is not a CSV text file or an Excel workbook", "binary data")


def test_text_full_of_control_characters_or_undecodable_bytes_is_binary_garbage():
    refused("q.csv", b"Ref\x01\x02\x03\x04,\x05\x06\n", "binary data")
    refused("q.csv", b"Ref,\x81\x8d\x8f\n", "binary data")  # neither UTF-8 nor Windows-1252
    refused("q.csv", "Ref,Value\n".encode("utf-16"), "binary data")


def test_malformed_csv_names_the_row():
    field = "x" * 200_000  # past the csv module's field size limit
    refused("q.csv", f'Ref\n1\n"{field}"\n'.encode(), "row 3 cannot be read as CSV")


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    ok = b"Ref\n1\n2\n3\n"
    assert len(read_upload("q.csv", ok).rows) == 3
    refused("q.csv", ok + b"4\n", "has more than 3 rows below the header (the limit).")
    refused("q.xlsx", workbook(["Ref"], [1], [2], [3], [4]), "more than 3 rows below the header")


def test_too_many_columns_are_refused():
    header = ",".join(f"c{i}" for i in range(201)).encode()
    refused("wide.csv", header + b"\n", "has 201 columns; the limit is 200.")


def test_too_many_cells_are_refused(settings):
    settings.IMPORT_MAX_CELLS = 20
    refused("q.csv", b"a,b,c,d,e\n" * 5, "has more than 20 cells (rows times columns).")


# Refusals: hostile workbooks


def test_zip_with_2000_members_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(1998):
            package.writestr(f"xl/media/image{i}.png", b"")
    refused("q.xlsx", out.getvalue(), "holds more than 1,000 files inside", "zip bomb")


def zeros_member(name: str, megabytes: int) -> tuple[bytes, str]:
    """A workbook with an extra member of zeros, written in chunks: about 1,000:1."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook(["Ref"]))) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            new.writestr(info, old.read(info))
        with new.open(name, "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue(), name


def test_zip_bomb_by_compression_ratio_is_refused():
    data, member = zeros_member("xl/media/image1.png", 50)
    assert len(data) < 100_000
    refused("q.xlsx", data, f"contains {member} compressed more than 100:1", "zip bomb")


def test_zip_bomb_whose_directory_lies_about_its_size_is_refused():
    data, member = zeros_member("xl/media/image1.png", 5)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    lying = bytearray(data)
    # The local header and the central directory both say 1,000 bytes instead of 5 MB.
    struct.pack_into("<I", lying, info.header_offset + 22, 1000)
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(member.encode()))
    struct.pack_into("<I", lying, central + 24, 1000)
    assert zipfile.ZipFile(io.BytesIO(bytes(lying))).getinfo(member).file_size == 1000
    refused("q.xlsx", bytes(lying), f"contains {member} compressed more than 100:1")


def test_workbook_unpacking_past_the_total_limit_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 4096
    refused("q.xlsx", workbook(["Ref"]), "would unpack to more than 4.0 KB; refused as a zip bomb.")


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/cron.d/evil", "xl\\..\\..\\evil.txt"])
def test_member_with_an_unsafe_path_is_refused(member):
    data = repack(workbook(["Ref"]), add=[(member, b"x")])
    assert member in zipfile.ZipFile(io.BytesIO(data)).namelist()
    refused("q.xlsx", data, f"contains an unsafe file path ({member!r}).")


def test_member_stored_twice_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package, pytest.warns(UserWarning, match="Duplicate"):
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr(SHEET, "<worksheet/>")
        package.writestr(SHEET, "<worksheet/>")
    refused("q.xlsx", out.getvalue(), f"contains {SHEET} twice")


def test_truncated_or_commented_zip_is_refused():
    data = workbook(["Ref"])
    refused("q.xlsx", data[: len(data) // 2], "damaged or crafted zip file")
    refused("q.xlsx", data[:-2] + b"\x03\x00abc", "damaged or crafted zip file")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)).replace(
        "&lol0;", "&lol;"
    )
    + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheets><sheet name='&lol9;' sheetId='1'/></sheets></workbook>"
)


def test_xml_entity_bomb_in_workbook_xml_is_refused():
    data = repack(workbook(["Ref"]), {"xl/workbook.xml": BILLION_LAUGHS.encode()})
    refused("q.xlsx", data, "declares XML entities in xl/workbook.xml", "XML bomb")


def test_external_entity_in_content_types_is_refused():
    xxe = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><t>&x;</t>'
    data = repack(workbook(["Ref"]), {"[Content_Types].xml": xxe.encode()})
    refused("q.xlsx", data, "declares XML entities in [Content_Types].xml")


def test_malformed_workbook_xml_is_refused():
    data = repack(workbook(["Ref"]), {"xl/workbook.xml": b"<workbook><sheets></workbook>"})
    refused("q.xlsx", data, "is damaged: xl/workbook.xml cannot be read")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>', "16,384 columns"),
        ('<row r="300000"><c><v>1</v></c></row>', "more than 200,000 rows below the header"),
        ("<row>" + "<c/>" * 300 + "<c><v>1</v></c></row>", "301 columns"),
        ('<row><c r="A00000000000001048576"><v>1</v></c></row>', "more than 200,000 rows"),
    ],
)
def test_sheet_reaching_too_far_is_refused(cells, message):
    refused("q.xlsx", with_sheet_data(cells), message)


SPARSE = '<row r="1"><c r="A1"><v>1</v></c><c r="{}"><v>1</v></c></row>'
OUT_OF_MEMORY = "needs more memory to read than the portal allows"


def test_sparse_sheet_spanning_the_whole_grid_is_refused_not_fatal():
    # calamine would allocate every cell from A1 to XFD1048576, 550 GB; the reader's
    # process is capped, so it is refused and this process carries on.
    refused("q.xlsx", with_sheet_data(SPARSE.format("XFD1048576")), OUT_OF_MEMORY)


def test_reader_memory_cap_is_a_setting(settings):
    data = with_sheet_data(SPARSE.format("CV10000"))  # a million cells: 32 MB in calamine
    assert read_upload("q.xlsx", data).rows[0][0] == 10_000
    settings.IMPORT_READER_MEMORY_BYTES = 48 * 1024 * 1024  # the interpreter itself needs ~32 MB
    refused("q.xlsx", data, OUT_OF_MEMORY, "Delete unused rows and columns")


def test_reader_time_cap_is_a_setting(settings):
    settings.IMPORT_READER_SECONDS = 0.001
    refused("q.xlsx", workbook(["Ref"]), "took more than 0.001 seconds to read; refused.")


def test_text_multiplied_by_shared_strings_is_capped(settings):
    # One shared string used in many cells is copied into each of them by the reader.
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, 51))
    strings = f'<sst xmlns="{MAIN}"><si><t>{"x" * 1000}</t></si></sst>'
    data = repack(with_sheet_data(cells), add=[("xl/sharedStrings.xml", strings.encode())])
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert unpacked < 30_000  # the 50,000 characters are stored once
    settings.IMPORT_MAX_UNPACKED_BYTES = 30_000
    refused("q.xlsx", data, "holds more text than the portal reads from one file.")
    settings.IMPORT_MAX_UNPACKED_BYTES = 60_000
    assert read_upload("q.xlsx", data).rows[-1] == (50, ["x" * 1000])


def test_far_empty_formatted_cells_are_not_counted():
    # Some tools write formatted but empty cells to the last row; calamine skips them too.
    data = with_sheet_data(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" s="1"/><c r="XFD1048576" s="1"/></row>'
    )
    assert read_upload("q.xlsx", data).header == ["Ref"]


def test_unreadable_sheet_xml_is_refused():
    data = with_sheet_data('<row><c a="unclosed><v>1</v></row>')
    refused("q.xlsx", data, "could not be read as an Excel workbook", "attribute value not closed")


# Exports


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Calls answered", "Calls answered"),
        ("96.5%", "96.5%"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_for_export_prefixes_formula_starts(text, safe):
    assert neutralise_for_export(text) == safe
