"""Writes of the annual report: publishing a year's report."""

from django.db import transaction
from django.utils import timezone

from reports.models import AnnualReport
from reports.selectors import unapproved_quarters


class PublishRefused(Exception):
    """The report cannot be published yet; the message says why."""


@transaction.atomic
def report_publish(*, report: AnnualReport, by) -> AnnualReport:
    """Publish the report, so anyone may read it and its PDF: only once every quarter of its
    year is approved, and only once."""
    report = AnnualReport.objects.select_for_update().select_related("year").get(pk=report.pk)
    if report.is_published:
        raise PublishRefused(f"The {report.year} report is already published.")
    waiting = unapproved_quarters(report.year)
    if waiting:
        quarters = ", ".join(f"Q{q}" for q in waiting)
        raise PublishRefused(
            f"The {report.year} report cannot be published: {quarters} not yet approved."
        )
    report.published_at, report.published_by = timezone.now(), by
    report._change_reason = "Published"
    report.save(update_fields=["published_at", "published_by"])
    return report
