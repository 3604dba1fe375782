"""The logs: one JSON line per request with its id, user, status and time; the audit log of
approvals, reopens, imports and failed log-ins; no password, token or survey answer anywhere."""

import json
import logging

import pytest

from ccgportal import imports
from ccgportal.logs import JsonFormatter, TextFormatter
from kpis.models import ReturnStatus, TeamReturn
from kpis.returns import services
from tests.kpis.import_support import INSPECTIONS, long_csv
from tests.support import user

FORMATTER = JsonFormatter(
    "%(asctime)s %(levelname)s %(name)s %(message)s",
    rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
)
TOKEN = "A" * 43  # the shape of a survey link's token


def lines(caplog, logger: str) -> list[dict]:
    return [json.loads(FORMATTER.format(r)) for r in caplog.records if r.name == logger]


@pytest.fixture
def caplog_info(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def test_one_json_line_per_request_with_its_id_user_status_and_time(client, demo, caplog_info):
    client.force_login(user("exec"))
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID="proxy-given-id-0001")
    client.get("/no-such-page/")

    first, second = lines(caplog_info, "ccgportal.requests")
    assert response["X-Request-ID"] == "proxy-given-id-0001"
    assert first["request_id"] == "proxy-given-id-0001"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/dashboard/", 200)
    assert first["user_id"] == user("exec").pk
    assert first["duration_ms"] > 0
    assert first["message"].startswith("GET /dashboard/ 200 ")
    assert {"time", "level", "logger"} <= first.keys()
    assert second["status"] == 404 and len(second["request_id"]) == 32  # a new id, not offered


def test_an_offered_request_id_that_is_not_plausible_is_replaced(client, db, caplog_info):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{injected}')
    (line,) = lines(caplog_info, "ccgportal.requests")
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32 and line["user_id"] is None


def test_a_survey_links_token_never_reaches_a_log(client, demo, caplog_info):
    client.get(f"/surveys/reply/{TOKEN}/")
    records = [r for r in caplog_info.records if r.name.startswith(("ccgportal", "django"))]
    assert records
    for record in records:
        for formatter in (FORMATTER, TextFormatter("%(name)s %(message)s")):
            assert TOKEN not in formatter.format(record)
    (line,) = lines(caplog_info, "ccgportal.requests")
    assert line["path"] == "/surveys/reply/[token]/"


def test_a_refusal_is_one_line_without_a_traceback(client, demo, caplog_info):
    client.force_login(user("staff.bi"))
    response = client.get("/admin/")
    assert response.status_code in {302, 403}
    refused = client.get("/returns/2014-15/q1/procurement/")
    assert refused.status_code in {403, 404}
    assert not [r for r in caplog_info.records if r.exc_info]


def test_failed_log_ins_are_logged_with_the_name_never_the_password(client, demo, caplog_info):
    client.post(
        "/accounts/login/",
        {"username": "exec", "password": "my-secret-guess"},
        REMOTE_ADDR="10.1.2.3",
    )
    (line,) = lines(caplog_info, "ccgportal.audit")
    assert (line["event"], line["username"], line["ip"]) == ("login_failed", "exec", "10.1.2.3")
    assert not any("my-secret-guess" in FORMATTER.format(r) for r in caplog_info.records)


@pytest.fixture
def approved(open_year, bi):
    return TeamReturn.objects.create(
        year=open_year, quarter=1, team=bi, status=ReturnStatus.APPROVED
    )


def test_approvals_reopens_and_imports_are_logged_once_they_commit(
    approved, caplog_info, django_capture_on_commit_callbacks
):
    team_return = approved
    with django_capture_on_commit_callbacks(execute=True):
        services.return_reopen(by=user("admin"), team_return=team_return, reason="late correction")
    (reopened,) = lines(caplog_info, "ccgportal.audit")
    assert reopened["event"] == "return_reopened"
    assert reopened["team_return_id"] == team_return.pk
    assert reopened["user_id"] == user("admin").pk
    assert "late correction" not in json.dumps(reopened)  # ids and counts, not what was typed

    caplog_info.clear()
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""], [INSPECTIONS, "2", "", "4", "", ""])
    with django_capture_on_commit_callbacks(execute=True):
        record = imports.run("returns.csv", data, year="2014-15", by=user("admin"))
    (imported,) = lines(caplog_info, "ccgportal.audit")
    assert imported["event"] == "import_applied"
    assert imported["import_record_id"] == record.pk
    assert (imported["new"], imported["year"]) == (2, "2014-15")


def test_a_move_that_is_refused_is_not_logged(
    approved, caplog_info, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.ReturnError),
    ):
        services.return_reopen(by=user("admin"), team_return=approved, reason="  ")
    assert not callbacks
    assert not lines(caplog_info, "ccgportal.audit")
