"""The 'Import returns' admin pages: upload, preview, confirm; who may; the template."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ccgportal import imports
from ccgportal.models import ImportRecord, PendingImport
from common.importing import ImportRefused
from kpis.imports import long as kpi_long
from kpis.models import Figure
from tests.html import page as page_doc
from tests.kpis.import_support import (
    INSPECTIONS,
    LONG_HEADER,
    PUBLISHED,
    csv_bytes,
    db_state,
    long_csv,
    xlsx_bytes,
)
from tests.support import login, user

UPLOAD = reverse("admin:ccgportal_import")


def post_import(client, data, name="returns.csv", year="2014-15"):
    """The file posted to the 'Import returns' page, for a year."""
    return client.post(UPLOAD, {"year": year, "file": SimpleUploadedFile(name, data)})


@pytest.fixture
def admin_client(client, demo):
    login(client, "admin")
    return client


def test_the_imports_list_links_to_the_import_page(admin_client):
    page = admin_client.get(reverse("admin:ccgportal_importrecord_changelist"))
    assert page.status_code == 200
    assert f'href="{UPLOAD}"' in page.content.decode()
    form = admin_client.get(UPLOAD).content.decode()
    template = reverse("admin:ccgportal_import_template")
    assert f"{template}?year=2014-15&amp;format=csv" in form
    assert 'enctype="multipart/form-data"' in form
    assert "<script>" not in form and "style=" not in form  # the CSP allows neither


def test_upload_preview_confirm_writes_the_figures(admin_client):
    data = long_csv(
        [INSPECTIONS, "1", "", "6", "Steady", "green"], [INSPECTIONS, "2", "", "4", "", ""]
    )
    response = post_import(admin_client, data)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:ccgportal_import_preview", args=[pending.pk])
    assert bytes(pending.data) == data and pending.uploaded_by.username == "admin"

    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>2</strong> new, <strong>0</strong> changed" in html
    assert (
        f"{INSPECTIONS}, 2014-15 Q1" in html
        and "6; self-assessed green; commentary: Steady" in html
    )
    assert "RAG 2014-15 Q2" in html  # consequences: none -> red
    assert "Confirm import" in html
    assert Figure.objects.filter(kpi_year__year__label="2014-15").count() == 0

    done = admin_client.post(response["Location"], {"digest": page.context["digest"]})
    record = ImportRecord.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:ccgportal_importrecord_change", args=[record.pk])
    q1 = Figure.objects.get(
        kpi_year__kpi__slug="quality-inspections", kpi_year__year__label="2014-15", quarter=1
    )
    assert (q1.count, q1.commentary, q1.history.get().history_user.username) == (
        6,
        "Steady",
        "admin",
    )
    assert not PendingImport.objects.exists()  # used up
    shown = admin_client.get(done["Location"])
    assert shown.status_code == 200 and "returns.csv" in shown.content.decode()


def test_a_file_with_problems_is_previewed_with_them_and_cannot_be_confirmed(admin_client):
    data = long_csv(
        [INSPECTIONS, "1", "", "=1+2", "", ""],
        ["Number of quality inspection", "2", "", "6", "", ""],
    )
    response = post_import(admin_client, data)
    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert "2 problems: nothing can be imported" in html
    assert (
        "row 2, column &#x27;value&#x27;: &#x27;=1+2&#x27; looks like a spreadsheet formula" in html
    )
    assert "did you mean &#x27;Number of quality inspections carried out&#x27;?" in html
    assert "Confirm import" not in html
    before = db_state()
    refused = admin_client.post(
        response["Location"], {"digest": page.context["digest"]}, follow=True
    )
    assert "looks like a spreadsheet formula" in refused.content.decode()
    assert db_state() == before


def test_a_hostile_file_is_shown_as_a_problem_and_nothing_is_written(admin_client):
    before = db_state()
    response = post_import(admin_client, b"\x00\x01garbage" * 100, name="returns.xlsx")
    html = admin_client.get(response["Location"]).content.decode()
    assert "returns.xlsx is not an Excel workbook" in html and "Confirm import" not in html
    assert db_state() == before


def test_a_file_over_the_limit_is_refused_before_it_is_kept(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = post_import(admin_client, PUBLISHED.read_bytes())
    assert response.status_code == 200
    assert "the largest file accepted is 1.0\xa0KB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_confirming_after_the_data_changed_is_refused(admin_client):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""])
    response = post_import(admin_client, data)
    digest = admin_client.get(response["Location"]).context["digest"]
    imports.run("other.csv", long_csv([INSPECTIONS, "1", "", "9", "", ""]), year="2014-15", by=None)
    before = db_state()
    page = admin_client.post(response["Location"], {"digest": digest}, follow=True)
    assert "changed after this file was previewed" in page.content.decode()
    assert db_state() == before


def test_staff_who_are_not_admins_are_refused(client, demo, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    pending = imports.pending_create(
        by=user("admin"),
        name="r.csv",
        data=long_csv([INSPECTIONS, "1", "", "6", "", ""]),
        year=PendingImport._meta.get_field("year").related_model.objects.get(label="2014-15"),
    )
    client.force_login(clerk)
    before = db_state()
    assert client.get(UPLOAD).status_code == 403
    assert post_import(client, long_csv([INSPECTIONS, "1", "", "6", "", ""])).status_code == 403
    preview = reverse("admin:ccgportal_import_preview", args=[pending.pk])
    assert client.post(preview, {"digest": "x"}).status_code == 403
    assert (
        client.get(reverse("admin:ccgportal_import_template") + "?year=2014-15").status_code == 403
    )
    login(client, "staff.bi")  # not staff at all: sent to log in
    assert client.get(UPLOAD).status_code == 302
    assert db_state() == before and PendingImport.objects.count() == 1


def test_another_admin_cannot_preview_or_confirm_someone_elses_upload(
    admin_client, django_user_model
):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""])
    response = post_import(admin_client, data)
    digest = admin_client.get(response["Location"]).context["digest"]
    other = django_user_model.objects.create_superuser("admin2")
    admin_client.force_login(other)
    before = db_state()
    assert admin_client.get(response["Location"]).status_code == 404
    assert admin_client.post(response["Location"], {"digest": digest}).status_code == 404
    assert db_state() == before


def test_an_upload_expires_after_a_day(admin_client):
    response = post_import(admin_client, long_csv([INSPECTIONS, "1", "", "6", "", ""]))
    PendingImport.objects.update(
        created_at=PendingImport.objects.get().created_at - timedelta(days=1, seconds=1)
    )
    assert admin_client.get(response["Location"]).status_code == 404
    post_import(admin_client, long_csv([INSPECTIONS, "2", "", "6", "", ""]))
    assert PendingImport.objects.count() == 1  # the expired one was dropped


def test_the_long_layout_template_lists_every_kpi_with_empty_values(admin_client):
    url = reverse("admin:ccgportal_import_template")
    response = admin_client.get(url, {"year": "2014-15", "format": "csv"})
    assert (
        response["Content-Disposition"] == 'attachment; filename="kpi-returns-template-2014-15.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "kpi",
        "quarter",
        "month",
        "value",
        "commentary",
        "self_assessed_rag",
        "self_assessment_reason",
    ]
    assert len(rows) == 40
    assert [INSPECTIONS, "1", "", "", "", "", ""] in rows
    assert ["Number of whole time equivalents", "1", "4", "", "", "", ""] in rows  # monthly
    assert {row[3] for row in rows[1:]} == {""}  # no value anyone could import by mistake
    workbook = admin_client.get(url, {"year": "2014-15", "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == ["KPI returns 2014-15", "Examples (not imported)"]
    sheet = book["KPI returns 2014-15"]
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["kpi", "quarter", "month"]
    assert sheet.max_row == 40 and {
        row[3] for row in sheet.iter_rows(min_row=2, values_only=True)
    } == {None}
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width == 60
    assert admin_client.get(url, {"year": "1999-00"}).status_code == 404


def test_the_template_imported_as_downloaded_writes_nothing_and_says_why(admin_client):
    url = reverse("admin:ccgportal_import_template")
    before = db_state()
    for export in ("csv", "xlsx"):
        data = admin_client.get(url, {"year": "2014-15", "format": export}).content
        plan, _ = imports.preview(f"template.{export}", data, year="2014-15")
        assert [str(problem) for problem in plan.problems] == [kpi_long.EMPTY_FILE]
        assert plan.changes == []
        response = post_import(admin_client, data, name=f"template.{export}")
        html = admin_client.get(response["Location"]).content.decode()
        assert "1 problem: nothing can be imported" in html
        assert "no row gives a value, commentary or RAG, so there is nothing to import" in html
        assert "Confirm import" not in html
        with pytest.raises(ImportRefused, match="there is nothing to import"):
            imports.run(f"template.{export}", data, year="2014-15", by=user("admin"))
    assert db_state() == before


def test_the_excel_template_s_examples_are_apart_and_never_imported(admin_client):
    url = reverse("admin:ccgportal_import_template")
    data = admin_client.get(url, {"year": "2014-15", "format": "xlsx"}).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    examples = list(book["Examples (not imported)"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4]) for row in examples] == [
        ("96", "Example: a count"),
        ("17/£1,059,768", "Example: a count and its value in pounds"),
        ("57/60", "Example: a numerator over its denominator (57 of 60)"),
        ("28.33%", "Example: a percentage (28.33 is read as 28.33% too)"),
        ("273.26", "Example: a number with decimals"),
        ("60/40", "Example: two counts side by side (60 issued, 40 published)"),
        ("*", "Example: not collected this period (never read as zero)"),
    ]
    assert all(row[0].startswith("EXAMPLE, not imported: ") for row in examples)
    # An example copied into the sheet that is read is refused: it names no KPI.
    copied = xlsx_bytes(LONG_HEADER, list(examples[0][:6]))
    plan, _ = imports.preview("copied.xlsx", copied, year="2014-15")
    assert not plan.ok and "there is no KPI 'EXAMPLE, not imported:" in str(plan.problems[0])
    # The page shows them too, apart from the template.
    page = admin_client.get(UPLOAD).content.decode()
    assert "How to write a value" in page and "<code>63/67" not in page
    assert "<td>a count and its value in pounds</td><td><code>17/£1,059,768</code></td>" in page


def test_a_filled_in_template_imports(admin_client):
    url = reverse("admin:ccgportal_import_template")
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(url, {"year": "2014-15", "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    filled = [rows[0], next(row for row in rows if row[0] == INSPECTIONS)]
    filled[1][3] = "7"
    plan, _ = imports.preview("filled.csv", csv_bytes(*filled), year="2014-15")
    assert plan.ok, plan.problems
    assert [(c.what, c.after) for c in plan.changes] == [(f"{INSPECTIONS}, 2014-15 Q1", "7")]


def test_the_upload_form_offers_the_open_year_first_and_marks_locked_ones(admin_client):
    form = page_doc(admin_client.get(UPLOAD))
    select = form.find("select", id="id_year")
    options = {o.text: "selected" in o.attrs for o in select.find_all("option")}
    assert options == {"2013/14 (locked)": False, "2014/15": True, "2015/16 (locked)": False}


def test_an_import_record_shows_its_changes_and_consequences_as_tables(admin_client):
    data = long_csv(
        [INSPECTIONS, "1", "", "6", "Steady", "green"], [INSPECTIONS, "2", "", "4", "", ""]
    )
    record = imports.run("returns.csv", data, year="2014-15", by=user("admin"))
    response = admin_client.get(reverse("admin:ccgportal_importrecord_change", args=[record.pk]))
    assert response.status_code == 200
    doc = page_doc(response)
    changes = doc.find("table", id="import-changes")
    assert [th.text for th in changes.find_all("th")] == [
        "Row",
        "Change",
        "What",
        "Before",
        "After",
    ]
    cells = [[td.text for td in tr.find_all("td")] for tr in changes.find("tbody").find_all("tr")]
    assert cells == [
        [
            "2",
            "New",
            f"{INSPECTIONS}, 2014-15 Q1",
            "",
            "6; self-assessed green; commentary: Steady",
        ],
        ["3", "New", f"{INSPECTIONS}, 2014-15 Q2", "", "4"],
    ]
    consequences = doc.find("table", id="import-consequences")
    rows = [
        [td.text for td in tr.find_all("td")] for tr in consequences.find("tbody").find_all("tr")
    ]
    assert rows == [
        [INSPECTIONS, "RAG 2014-15 Q1", "none", "green"],
        [INSPECTIONS, "RAG 2014-15 Q2", "none", "red"],
        [INSPECTIONS, "SPC variation", "none", "Common cause"],
        [INSPECTIONS, "SPC assurance", "none", "Hit and miss"],
    ]
    assert '"kind": "new"' not in response.content.decode()  # not the JSON
