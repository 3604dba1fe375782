"""Writes to plans: an admin publishes a plan's edition (anyone may then read its report) or
withdraws it to a draft again; each is an audit line."""

from django.db import transaction
from django.utils import timezone

from common import audit
from directorates.access import Perm, require
from plans.models import Plan


@transaction.atomic
def plan_publish(*, plan: Plan, by) -> bool:
    """Publish the plan; False when it already was (nothing changes)."""
    require(by, Perm.PUBLISH_PLAN)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        return False
    plan.published_at, plan.published_by = timezone.now(), by
    plan.save(update_fields=["published_at", "published_by"])
    audit.record("plan_published", user_id=by.pk, plan_id=plan.pk)
    return True


@transaction.atomic
def plan_withdraw(*, plan: Plan, by) -> bool:
    """Make the plan a draft again, for signed-in users only; False when it was one."""
    require(by, Perm.PUBLISH_PLAN)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_published:
        return False
    plan.published_at, plan.published_by = None, None
    plan.save(update_fields=["published_at", "published_by"])
    audit.record("plan_withdrawn", user_id=by.pk, plan_id=plan.pk)
    return True
