"""Load a year's annual report texts from fixtures/portal/report_YYYY-YY.json."""

from pathlib import Path

from common.loading import LoadError, read_json, upsert
from directorates.models import FinancialYear
from kpis.models import Kpi
from reports.models import TEXT_FIELDS, AnnualReport
from reports.rules import unknown_placeholders


def load_report(path: Path, year: FinancialYear) -> AnnualReport:
    data = read_json(path)
    if data.get("year") != year.label:
        raise LoadError(path, f"is for {data.get('year')}, not {year.label}")
    kpi = None
    if data.get("delivery_plan_kpi"):
        kpi = Kpi.objects.filter(slug=data["delivery_plan_kpi"]).first()
        if kpi is None:
            raise LoadError(path, f"names an unknown KPI '{data['delivery_plan_kpi']}'")
    foreword, contact = data["foreword"], data["contact"]
    values = {
        "title": data["title"],
        "foreword": foreword["text"],
        "foreword_signatory": foreword["signatory"],
        "foreword_signatory_role": foreword["role"],
        "foreword_signatory_organisation": foreword.get("organisation", ""),
        "introduction": data["introduction"],
        "summary": data["summary"],
        "summary_survey": data.get("summary_survey", ""),
        "summary_imt": data.get("summary_imt", ""),
        "delivery_plan_kpi": kpi,
        "organising": data["organising"],
        "commissioning_cycle": data.get("commissioning_cycle", []),
        "commissioning_cycle_centre": data.get("commissioning_cycle_centre", ""),
        "next_steps": data["next_steps"],
        "contact_name": contact["name"],
        "contact_role": contact.get("role", ""),
        "contact_address": "\n".join(contact.get("address", [])),
        "contact_telephone": contact.get("telephone", ""),
        "contact_email": contact.get("email", ""),
        "contact_website": contact.get("website", ""),
        "contact_twitter": contact.get("twitter", ""),
        "contact_facebook": contact.get("facebook", ""),
    }
    for name in TEXT_FIELDS:
        unknown = unknown_placeholders(values[name])
        if unknown:
            raise LoadError(path, f"{name}: unknown placeholder {', '.join(unknown)}")
    return upsert(AnnualReport, {"year": year}, values, where=(path, None))
