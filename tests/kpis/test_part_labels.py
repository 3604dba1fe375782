"""A numerator/denominator KPI's parts by their own names: from the definitions' `parts`
column, on each year's set-up (copied to the next year, editable in admin), as the return
form's labels; 'Numerator' and 'Denominator' only where none is set."""

import csv
import shutil

import pytest

from common.loading import LoadError
from kpis.loaders import copy_kpis_to_year, read_definitions
from kpis.models import KpiYear
from kpis.rules import Measure
from kpis.shapes import ShapeError, part_labels
from tests.html import page
from tests.published import PORTAL
from tests.support import login

DEFINITIONS = "kpi_definitions_2013-14.csv"


def test_parts_are_two_names_for_a_ratio():
    assert part_labels(Measure.RATIO, " meetings attended | meetings held ") == (
        "meetings attended",
        "meetings held",
    )
    assert part_labels(Measure.RATIO, "") == part_labels(Measure.COUNT, "  ") == ("", "")
    with pytest.raises(ShapeError, match="not two names joined by '|'"):
        part_labels(Measure.RATIO, "attended|held|cancelled")
    with pytest.raises(ShapeError, match="not two names joined by '|'"):
        part_labels(Measure.RATIO, "attended|")
    with pytest.raises(ShapeError, match="the KPI is measured as count"):
        part_labels(Measure.COUNT, "attended|held")


def _definitions_with(tmp_path, slug, parts):
    path = tmp_path / DEFINITIONS
    shutil.copy(PORTAL / DEFINITIONS, path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["slug"] == slug:
            row["parts"] = parts
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_bad_parts_cell_names_the_file_row_and_column(tmp_path):
    path = _definitions_with(tmp_path, "quality-inspections", "inspections|planned")
    with pytest.raises(LoadError) as caught:
        read_definitions(path)
    assert str(caught.value) == (
        f"{DEFINITIONS}, row 12, column 'parts': 'inspections|planned' names a numerator and "
        "a denominator, but the KPI is measured as count"
    )


def test_every_ratio_kpi_of_the_published_schedule_names_its_parts():
    definitions = read_definitions(PORTAL / DEFINITIONS)
    ratios = {
        item["slug"]: (item["numerator_label"], item["denominator_label"])
        for _, item in definitions.values()
        if item["measure"] == Measure.RATIO
    }
    assert len(ratios) == 8 and all(all(parts) for parts in ratios.values())
    assert ratios["finance-contract-meetings-attended"] == ("meetings attended", "meetings held")
    others = [item for _, item in definitions.values() if item["measure"] != Measure.RATIO]
    assert {(i["numerator_label"], i["denominator_label"]) for i in others} == {("", "")}


def test_the_parts_are_loaded_and_copied_to_the_next_year(demo, open_year):
    for label in ("2013-14", "2014-15"):
        meetings = KpiYear.objects.get(
            year__label=label, kpi__slug="finance-contract-meetings-attended"
        )
        assert (meetings.numerator_label, meetings.denominator_label) == (
            "meetings attended",
            "meetings held",
        )
    published = KpiYear.objects.filter(year__label="2013-14")
    published.filter(kpi__slug="foi-requests-responded").update(numerator_label="FOI answered")
    copy_kpis_to_year(published.first().year, open_year)
    assert (
        KpiYear.objects.get(year=open_year, kpi__slug="foi-requests-responded").numerator_label
        == "FOI answered"
    )


def _labels(client, kpi_year) -> list[str]:
    doc = page(client.get(f"/returns/2014-15/1/{kpi_year.team.slug}/"))
    row = doc.find("fieldset", id=f"kpi-{kpi_year.id}")
    period = row.find("div", cls="app-return-period")
    return [label.text for label in period.find_all("label", cls="nhsuk-label")]


def test_the_return_form_labels_the_parts_by_their_names(client, demo):
    foi = KpiYear.objects.select_related("team").get(
        year__label="2014-15", kpi__slug="foi-requests-responded"
    )
    login(client, "admin")
    assert _labels(client, foi) == ["Requests responded to", "Requests received", "Not collected"]
    KpiYear.objects.filter(pk=foi.pk).update(numerator_label="", denominator_label="")
    assert _labels(client, foi) == ["Numerator", "Denominator", "Not collected"]


def test_an_admin_edits_the_parts_on_the_kpi_years_page(client, demo):
    foi = KpiYear.objects.get(year__label="2014-15", kpi__slug="foi-requests-responded")
    doc = page(login(client, "admin").get(f"/admin/kpis/kpiyear/{foi.pk}/change/"))
    assert doc.find("input", name="numerator_label").attrs["value"] == "requests responded to"
    assert doc.find("input", name="denominator_label").attrs["value"] == "requests received"
