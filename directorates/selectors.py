"""Reads of the organisation's structure for pages."""

from directorates.models import FinancialYear


def year_list() -> list[FinancialYear]:
    return list(FinancialYear.objects.order_by("start_date"))
