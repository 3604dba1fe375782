"""The return form: one set of inputs per KPI, shaped by how the KPI is measured."""

import calendar
import re

from django import forms

from common.limits import whole_number
from kpis import rules, shapes
from kpis.presenters import (
    COMMENTARY_HINT,
    NOT_ASSESSED,
    NOT_COLLECTED,
    RAG_TEXT,
    input_text,
    part_label,
)
from kpis.returns.rows import Entry, EntryRow
from kpis.returns.services import RowInput

# A number as typed once the thousands separators, £ and % are taken out: the digits 0-9 only
# (int() and Decimal() would also read full-width '１２', Arabic-Indic digits, '1_000', '1e3'
# and 'NaN'), an optional leading '-' left to the check that says it cannot be negative.
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def _clean_number_text(value: str, invalid: str) -> str:
    """Accept what people type in a figure: 1,009 or £1,059,768 or 94%; refuse formulas and
    anything but the digits 0 to 9."""
    text = (value or "").strip()
    if text[:1] in ("=", "+", "@"):
        raise forms.ValidationError("Enter a number, not a formula")
    text = text.replace(",", "").replace("£", "").replace("%", "").strip()
    if text and not NUMBER.fullmatch(text):
        raise forms.ValidationError(invalid, code="invalid")
    return text


class WholeNumberField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Enter a whole number, like 96",
        "min_value": "This cannot be negative",
    }

    def to_python(self, value):
        return super().to_python(_clean_number_text(value, self.error_messages["invalid"]))


class FigureField(forms.DecimalField):
    default_error_messages = {
        "invalid": "Enter a number, like 28.33",
        "min_value": "This cannot be negative",
        "max_value": "A percentage cannot be more than 100",
        "max_decimal_places": "Enter no more than %(max)s decimal places",
    }

    def to_python(self, value):
        return super().to_python(_clean_number_text(value, self.error_messages["invalid"]))


def _inputs(kpi_year) -> list[tuple[str, str, forms.Field]]:
    """(name, label, field) for each input of the KPI's shape."""
    whole = {"required": False, "min_value": 0}
    measure = rules.Measure(kpi_year.measure)
    unit = f" ({kpi_year.unit})" if kpi_year.unit else ""
    return {
        rules.Measure.COUNT: [("count", f"Count{unit}", WholeNumberField(**whole))],
        rules.Measure.COUNT_VALUE: [
            ("count", f"Count{unit}", WholeNumberField(**whole)),
            ("amount_gbp", "Value (£)", FigureField(required=False, min_value=0, decimal_places=2)),
        ],
        rules.Measure.RATIO: [
            (
                "numerator",
                part_label(kpi_year.numerator_label, "Numerator"),
                WholeNumberField(**whole),
            ),
            (
                "denominator",
                part_label(kpi_year.denominator_label, "Denominator"),
                WholeNumberField(**whole),
            ),
        ],
        rules.Measure.PERCENT: [
            (
                "percent",
                "Percentage",
                FigureField(required=False, min_value=0, max_value=100, decimal_places=4),
            )
        ],
        rules.Measure.DECIMAL: [
            ("value", f"Figure{unit}", FigureField(required=False, min_value=0, decimal_places=4))
        ],
        rules.Measure.COUNT_PAIR: [
            ("count", f"Count{unit}", WholeNumberField(**whole)),
            (
                "count_2",
                (kpi_year.secondary_label or "Second count").capitalize(),
                WholeNumberField(**whole),
            ),
        ],
    }[measure]


RAG_CHOICES = [("", NOT_ASSESSED)] + [
    (rag.value, RAG_TEXT[rag]) for rag in (rules.Rag.GREEN, rules.Rag.AMBER, rules.Rag.RED)
]


class RowForm(forms.Form):
    """The inputs for one KPI, prefixed by its KPI year id so rows never mix."""

    def __init__(self, row: EntryRow, months: tuple[int, ...], *args, **kwargs):
        super().__init__(*args, prefix=f"k{row.kpi_year.id}", **kwargs)
        self.row = row
        self.periods: list[int | None] = list(months) if row.is_monthly else [None]
        self.inputs = _inputs(row.kpi_year)
        figures = {None: row.figure, **row.months}
        for period in self.periods:
            figure = figures.get(period)
            for name, label, field in self.inputs:
                key = self.key(period, name)
                self.fields[key] = field.__class__(**_field_kwargs(field))
                self.fields[key].label = label
                self.initial[key] = input_text(name, getattr(figure, name, None))
            self.fields[self.key(period, "not_collected")] = forms.BooleanField(
                required=False, label=NOT_COLLECTED
            )
            self.initial[self.key(period, "not_collected")] = bool(figure and figure.not_collected)
            self.fields[self.key(period, "version")] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
            self.initial[self.key(period, "version")] = figure.version if figure else None
        self.fields["self_assessed_rag"] = forms.ChoiceField(
            choices=RAG_CHOICES, required=False, label="Self-assessed RAG"
        )
        self.fields["self_assessment_reason"] = forms.CharField(
            required=False,
            max_length=2000,
            label="Reason, if your assessment differs from the computed RAG",
        )
        self.fields["commentary"] = forms.CharField(
            required=False,
            max_length=5000,
            label="Commentary",
            help_text=COMMENTARY_HINT,
        )
        if row.figure:
            self.initial.update(
                self_assessed_rag=row.figure.self_assessed_rag,
                self_assessment_reason=row.figure.self_assessment_reason,
                commentary=row.figure.commentary,
            )

    def input_attributes(self, name: str) -> dict[str, str]:
        """The data-* attributes of one figure input: which part it is, and the limits the
        server holds it to (a whole number, at least 0, at most 100, decimal places, needed
        once any part is entered, at most another part, more than 0), so that the form's
        script never shows a RAG for a figure the server would refuse."""
        field = {n: f for n, _, f in self.inputs}[name]
        measure = rules.Measure(self.row.kpi_year.measure)
        attributes = {"data-field": name}
        if isinstance(field, WholeNumberField):
            attributes["data-whole"] = "true"
        for attr, key in (("min_value", "min"), ("max_value", "max"), ("decimal_places", "places")):
            if getattr(field, attr, None) is not None:
                attributes[f"data-{key}"] = str(getattr(field, attr))
        if name in shapes.REQUIRED_FIELDS[measure]:
            attributes["data-required"] = "true"
        if name in shapes.AT_MOST:
            attributes["data-at-most"] = shapes.AT_MOST[name]
        if name in shapes.MORE_THAN_ZERO:
            attributes["data-more-than-zero"] = "true"
        return attributes

    def rag_items(self) -> list[dict]:
        current = self["self_assessed_rag"].value() or ""
        return [{"value": v, "text": t, "selected": v == current} for v, t in RAG_CHOICES]

    @staticmethod
    def period_label(period: int) -> str:
        return calendar.month_name[period]

    @staticmethod
    def key(period: int | None, name: str) -> str:
        return name if period is None else f"m{period}_{name}"

    def period_values(self, period: int | None) -> rules.FigureValues:
        data = {name: self.cleaned_data.get(self.key(period, name)) for name, _, _ in self.inputs}
        return rules.FigureValues(
            not_collected=bool(self.cleaned_data.get(self.key(period, "not_collected"))), **data
        )

    def to_input(self) -> RowInput:
        data = self.cleaned_data
        versions = {period: data.get(self.key(period, "version")) for period in self.periods}
        if self.row.is_monthly:  # the quarter's own figure is rolled up from the months
            versions[None] = self.row.figure.version if self.row.figure else None
        common = {
            "kpi_year_id": self.row.kpi_year.id,
            "commentary": data.get("commentary", "").strip(),
            "self_assessed_rag": data.get("self_assessed_rag", ""),
            "self_assessment_reason": data.get("self_assessment_reason", "").strip(),
            "seen_versions": versions,
        }
        if self.row.is_monthly:
            return RowInput(months={m: self.period_values(m) for m in self.periods}, **common)
        return RowInput(figure=self.period_values(None), **common)

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            if name == "figure":
                name = self.key(self.periods[0], self.inputs[0][0])
            elif name == "not_collected" or name in {n for n, _, _ in self.inputs}:
                name = self.key(self.periods[0], name)
            self.add_error(name if name in self.fields else None, message)


def _field_kwargs(field: forms.Field) -> dict:
    kwargs = {"required": False}
    for attr in ("min_value", "max_value", "decimal_places"):
        if getattr(field, attr, None) is not None:
            kwargs[attr] = getattr(field, attr)
    return kwargs


class ReturnForm:
    """All the KPI rows of one return, plus the return's version for optimistic locking."""

    def __init__(self, entry: Entry, data=None):
        self.entry = entry
        self.rows = [RowForm(row, entry.months, data=data) for row in entry.rows]
        self.data = data
        self.top_errors: list[str] = []

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.rows]  # every row, not only the first bad one
        return all(results)

    @property
    def posted_version(self) -> int | None:
        text = (self.data or {}).get("version", "")
        return whole_number(text)

    def inputs(self) -> list[RowInput]:
        return [form.to_input() for form in self.rows]

    def add_problems(self, problems: dict[int, dict[str, str]]) -> None:
        by_id = {form.row.kpi_year.id: form for form in self.rows}
        for kpi_year_id, found in problems.items():
            by_id[kpi_year_id].add_problems(found)

    def error_summary(self) -> list[dict[str, str]]:
        """Entries for the NHS.UK error summary, each linking to its input."""
        items = [{"text": message, "href": "#return-form"} for message in self.top_errors]
        for form in self.rows:
            for name, errors in form.errors.items():
                target = (
                    form[name].id_for_label
                    if name in form.fields
                    else f"kpi-{form.row.kpi_year.id}"
                )
                for message in errors:
                    items.append(
                        {"text": f"{form.row.kpi_year.kpi.name}: {message}", "href": f"#{target}"}
                    )
        return items
