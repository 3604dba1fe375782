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
from kpis.models import Figure
from tests.kpis.import_support import INSPECTIONS, PUBLISHED, db_state, long_csv
from tests.support import user

UPLOAD = reverse("admin:ccgportal_import")


def upload(client, data, name="returns.csv", year="2014-15"):
    return client.post(UPLOAD, {"year": year, "file": SimpleUploadedFile(name, data)})


@pytest.fixture
def admin_client(client, demo):
    client.force_login(user("admin"))
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
    response = upload(admin_client, data)
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
    response = upload(admin_client, data)
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
    response = upload(admin_client, b"\x00\x01garbage" * 100, name="returns.xlsx")
    html = admin_client.get(response["Location"]).content.decode()
    assert "returns.xlsx is not an Excel workbook" in html and "Confirm import" not in html
    assert db_state() == before


def test_a_file_over_the_limit_is_refused_before_it_is_kept(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = upload(admin_client, PUBLISHED.read_bytes())
    assert response.status_code == 200
    assert "the largest file accepted is 1.0\xa0KB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_confirming_after_the_data_changed_is_refused(admin_client):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""])
    response = upload(admin_client, data)
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
    assert upload(client, long_csv([INSPECTIONS, "1", "", "6", "", ""])).status_code == 403
    preview = reverse("admin:ccgportal_import_preview", args=[pending.pk])
    assert client.post(preview, {"digest": "x"}).status_code == 403
    assert (
        client.get(reverse("admin:ccgportal_import_template") + "?year=2014-15").status_code == 403
    )
    client.force_login(user("staff.bi"))  # not staff at all: sent to log in
    assert client.get(UPLOAD).status_code == 302
    assert db_state() == before and PendingImport.objects.count() == 1


def test_another_admin_cannot_preview_or_confirm_someone_elses_upload(
    admin_client, django_user_model
):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""])
    response = upload(admin_client, data)
    digest = admin_client.get(response["Location"]).context["digest"]
    other = django_user_model.objects.create_superuser("admin2")
    admin_client.force_login(other)
    before = db_state()
    assert admin_client.get(response["Location"]).status_code == 404
    assert admin_client.post(response["Location"], {"digest": digest}).status_code == 404
    assert db_state() == before


def test_an_upload_expires_after_a_day(admin_client):
    response = upload(admin_client, long_csv([INSPECTIONS, "1", "", "6", "", ""]))
    PendingImport.objects.update(
        created_at=PendingImport.objects.get().created_at - timedelta(days=1, seconds=1)
    )
    assert admin_client.get(response["Location"]).status_code == 404
    upload(admin_client, long_csv([INSPECTIONS, "2", "", "6", "", ""]))
    assert PendingImport.objects.count() == 1  # the expired one was dropped


def test_the_long_layout_template_lists_every_kpi_and_imports_cleanly(admin_client):
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
    assert [INSPECTIONS, "1", "", "96", "", "", ""] in rows
    plan, _ = imports.preview("template.csv", response.content, year="2014-15")
    assert plan.ok, plan.problems
    workbook = admin_client.get(url, {"year": "2014-15", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["kpi", "quarter", "month"]
    plan, _ = imports.preview("template.xlsx", workbook.content, year="2014-15")
    assert plan.ok, plan.problems
    assert admin_client.get(url, {"year": "1999-00"}).status_code == 404
