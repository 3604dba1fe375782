"""The dashboards' filters, read from the query string (?year=2013-14&quarter=4&rag=red…).

django-filter validates each parameter; the view refuses to show anything when one is wrong
and says which, rather than silently dropping the filter and showing everything.
"""

import django_filters
from django import forms

from dashboards.scorecard import STANDING_LABELS
from directorates.models import Directorate, FinancialYear, Team
from kpis.models import FREQUENCY_CHOICES, KpiYear

QUARTER_CHOICES = [(str(q), f"Quarter {q}") for q in (1, 2, 3, 4)]


def _keep(queryset, name, value):
    """Parameters that choose what to show rather than which KPIs: read by the view."""
    return queryset


class ScorecardFilter(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
        queryset=FinancialYear.objects.order_by("-start_date"),
        to_field_name="label",
        empty_label=None,
        error_messages={"invalid_choice": "There is no year '%(value)s' in the portal"},
    )
    quarter = django_filters.ChoiceFilter(
        choices=QUARTER_CHOICES,
        method=_keep,
        empty_label=None,
        label="Quarter",
        error_messages={"invalid_choice": "'%(value)s' is not a quarter: choose 1, 2, 3 or 4"},
    )
    directorate = django_filters.ModelChoiceFilter(
        field_name="team__directorate",
        queryset=Directorate.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All directorates",
        label="Directorate",
        error_messages={"invalid_choice": "There is no directorate '%(value)s'"},
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.select_related("parent").order_by("directorate__name", "name"),
        to_field_name="slug",
        empty_label="All teams",
        error_messages={
            "invalid_choice": "No team '%(value)s' reports here: check the team and directorate"
        },
    )
    frequency = django_filters.ChoiceFilter(
        choices=FREQUENCY_CHOICES,
        empty_label="Any frequency",
        error_messages={"invalid_choice": "'%(value)s' is not a frequency of collection"},
    )
    rag = django_filters.MultipleChoiceFilter(
        choices=[(key.value, label) for key, label in STANDING_LABELS.items()],
        method=_keep,
        label="RAG",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "'%(value)s' is not a RAG rating or status"},
    )

    class Meta:
        model = KpiYear
        fields = ["year", "quarter", "directorate", "team", "frequency", "rag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # the template draws the fields in NHS.UK markup
        # The team list follows the directorate chosen, so it stays short at any size.
        directorate = self.data.get("directorate") if self.data else None
        if directorate:
            team = self.form.fields["team"]
            team.queryset = team.queryset.filter(directorate__slug=directorate)

    def error_list(self) -> list[tuple[str, str]]:
        """(field, message) for each problem, in the form's order, for the error summary."""
        return [(name, message) for name, errors in self.form.errors.items() for message in errors]
