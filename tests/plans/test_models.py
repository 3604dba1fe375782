"""A plan's slug names its report's address: unique in its year, never an address under
/reports/ that is not a plan's."""

import pytest
from django.db import IntegrityError, transaction

from plans.models import RESERVED_SLUGS, Plan


@pytest.mark.parametrize("slug", [*RESERVED_SLUGS, ""])
def test_a_slug_that_names_another_report_page_is_refused(demo, slug):
    plan = Plan.objects.get(slug="od-framework")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(slug=slug)
    assert Plan.objects.get(pk=plan.pk).slug == "od-framework"


def test_two_plans_of_a_year_cannot_share_a_slug(demo):
    plan = Plan.objects.get(slug="od-framework")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            organisation=plan.organisation, year=plan.year, title="Another plan", slug=plan.slug
        )
    assert Plan.objects.filter(slug="od-framework").count() == 1


def test_the_reserved_addresses_still_lead_to_their_own_pages(client, demo):
    assert client.get("/reports/plans/").status_code == 200
    assert client.get("/reports/annual/2013-14/").status_code == 302  # a draft: sign in first


def test_plans_stored_before_slugs_get_one_from_their_title(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("plans.migrations.0002_plan_slug")
    plan = Plan.objects.get(slug="od-framework")
    other = Plan.objects.create(
        organisation=plan.organisation, year=plan.year, title="Plans", slug="x"
    )
    migration.slugs_from_titles(apps, None)
    assert Plan.objects.get(pk=plan.pk).slug == "organisational-development-framework-impleme"
    assert Plan.objects.get(pk=other.pk).slug == "plans-plan"  # never a reserved address


def test_a_plans_form_refuses_a_reserved_slug_saying_why(demo):
    # The admin's change form is a model form: it validates the constraints the same way.
    from django.forms.models import modelform_factory

    plan = Plan.objects.get(slug="od-framework")
    form = modelform_factory(Plan, fields=["organisation", "year", "title", "slug"])(
        {
            "organisation": plan.organisation_id,
            "year": plan.year_id,
            "title": plan.title,
            "slug": "annual",
        },
        instance=plan,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "A plan's slug cannot be empty, 'annual' or 'plans': those addresses under /reports/ "
        "are other pages'."
    ]
    assert Plan.objects.get(pk=plan.pk).slug == "od-framework"
