"""Django admin serves every portal model's list, search and change page to an admin."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from directorates.models import FinancialYear, Team
from kpis.models import Kpi, KpiSpcState, ReminderSent, SpcRebase
from kpis.spc_state import states_for
from surveys.models import Invitee, SurveyEmail
from surveys.tokens import make_token
from tests.support import login

PORTAL_APPS = {"directorates", "kpis", "finance", "surveys", "plans"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PORTAL_APPS),
    key=lambda model: model._meta.label,
)


def test_every_portal_model_is_in_admin():
    from django.apps import apps

    expected = {
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert set(MODELS) == expected


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_admin_lists_searches_and_opens_each_model(demo, client, model):
    login(client, "admin")
    if model is ReminderSent:  # the demo data has sent no reminders yet
        ReminderSent.objects.create(
            user=get_user_model().objects.get(username="staff.bi"),
            team=Team.objects.get(slug="business-intelligence"),
            year=FinancialYear.objects.get(label="2014-15"),
            quarter=1,
            sent_on=date(2014, 7, 20),
        )
    if model is SpcRebase:  # nor rebased any SPC limits
        SpcRebase.objects.create(
            kpi=Kpi.objects.get(slug="quality-inspections"),
            year=FinancialYear.objects.get(label="2013-14"),
            quarter=3,
            reason="New inspection framework",
            created_by=get_user_model().objects.get(username="admin"),
        )
    if model is KpiSpcState:  # worked out when a dashboard is first read
        states_for(list(Kpi.objects.values_list("pk", flat=True)))
    if model is SurveyEmail:  # nor emailed a survey's invitations (the published one is locked)
        SurveyEmail.objects.create(
            invitee=Invitee.objects.order_by("pk").first(),
            kind=SurveyEmail.Kind.INVITATION,
            token_hash=make_token()[1],
            sent_at=timezone.now(),
        )
    obj = model.objects.order_by("pk").first()
    assert obj is not None, "the demo data holds at least one of every model"
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    count = model.objects.count()
    name = opts.verbose_name if count == 1 else opts.verbose_name_plural
    assert f"{count} {name}" in changelist.content.decode()
    if admin.site._registry[model].search_fields:
        searched = client.get(changelist.request["PATH_INFO"], {"q": "zzz-no-such-thing"})
        assert searched.status_code == 200 and "0 results" in searched.content.decode()
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200
    assert change.context["original"] == obj


def test_non_staff_user_cannot_reach_admin(demo, client):
    login(client, "staff.bi")
    response = client.get(reverse("admin:kpis_figure_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
