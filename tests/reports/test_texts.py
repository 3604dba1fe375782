"""The annual report's texts: loaded from the seed's transcription, edited in the admin with
their history, figures only as placeholders the data fills in."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from common.loading import LoadError
from directorates.models import FinancialYear
from reports import rules
from reports.loaders import load_report
from reports.models import AnnualReport
from tests.support import login

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "portal" / "report_2013-14.json"


@pytest.fixture
def report(demo):
    return AnnualReport.objects.get(year__label="2013-14")


def test_the_demo_loads_the_seeds_texts(report):
    assert report.title == "Commissioning support services annual report"
    assert report.foreword.startswith("I am delighted to share with you our first annual report")
    assert (report.foreword_signatory, report.foreword_signatory_role) == (
        "Tim Goodson",
        "Chief Officer",
    )
    assert report.introduction.startswith("Dorset CCG is one of only a few organisations")
    assert report.delivery_plan_kpi.slug == "delivery-plan-projects-on-target"
    assert report.commissioning_cycle[0] == "Health needs assessment"
    assert report.commissioning_cycle_centre == "Stakeholder engagement and communications"
    assert report.next_steps.endswith("to provide its commissioning support.")
    assert (report.contact_name, report.contact_email) == (
        "Teresa Larby",
        "feedback@dorsetccg.nhs.uk",
    )
    assert report.history.first().history_change_reason == "Loaded from report_2013-14.json"


def test_no_figure_the_data_gives_is_typed_into_the_texts(report):
    typed = ["24 out of", "12,614", "£25", "£22", "7.57", "49%", "68%", " 13 localities", " 100 "]
    for name in ("foreword", "summary", "summary_survey", "summary_imt"):
        text = getattr(report, name)
        assert [figure for figure in typed if figure in text] == [], name
    assert "{projects_on_target} out of a total {projects_total}" in report.summary
    assert "{revenue_surplus_000}" in report.summary
    assert "{survey_mean} out of 10" in report.summary_survey


def test_a_second_load_writes_nothing(report):
    load_report(FIXTURE, report.year)
    assert report.history.count() == 1


def test_a_fixture_with_an_unknown_placeholder_is_refused(demo, tmp_path):
    data = json.loads(FIXTURE.read_text())
    data["summary"] += " {made_up}"
    bad = tmp_path / "report_2013-14.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(LoadError, match="summary: unknown placeholder made_up"):
        load_report(bad, FinancialYear.objects.get(label="2013-14"))


def test_the_admin_refuses_an_unknown_placeholder(report):
    report.next_steps += " {typo"
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert "next_steps" in refused.value.message_dict


def test_an_admin_edits_the_texts_with_history(client, report):
    login(client, "admin")
    response = client.get(f"/admin/reports/annualreport/{report.pk}/change/")
    assert response.status_code == 200
    assert "Teresa Larby" in response.content.decode()
    assert client.get(f"/admin/reports/annualreport/{report.pk}/history/").status_code == 200


def test_placeholders_are_filled_and_blocks_read():
    assert rules.fill("{a} of {b}", {"a": "24"}) == "24 of —"
    blocks = rules.blocks("Lead in:\n- one;\n  - under one\n- two.\n\nAfter.")
    assert [b.text for b in blocks] == ["Lead in:", "", "After."]
    assert [(b.text, b.items) for b in blocks[1].bullets] == [
        ("one;", ["under one"]),
        ("two.", []),
    ]
