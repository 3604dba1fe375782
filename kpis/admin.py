"""Admin for KPIs, their yearly set-up and targets, and their figures (with change history)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import (
    QUARTER_MONTHS,
    Figure,
    Kpi,
    KpiSpcState,
    KpiYear,
    ReminderSent,
    ReturnEvent,
    SpcRebase,
    TeamReturn,
)
from kpis.returns import services


class KpiYearInline(admin.TabularInline):
    model = KpiYear
    fields = [
        "year",
        "team",
        "is_reported",
        "frequency",
        "measure",
        "target_kind",
        "target_value",
        "direction",
    ]
    extra = 0
    show_change_link = True


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    inlines = [KpiYearInline]


class FigureInline(admin.TabularInline):
    model = Figure
    fields = [
        "quarter",
        "month",
        "not_collected",
        "count",
        "count_2",
        "numerator",
        "denominator",
        "amount_gbp",
        "percent",
        "value",
        "self_assessed_rag",
        "version",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # figures are written through returns and imports, which check locks


@admin.register(KpiYear)
class KpiYearAdmin(SimpleHistoryAdmin):
    list_display = [
        "kpi",
        "year",
        "team",
        "frequency",
        "measure",
        "target_text",
        "target_kind",
        "direction",
        "is_reported",
    ]
    list_filter = [
        "year",
        "team__directorate",
        "frequency",
        "measure",
        "target_kind",
        "direction",
        "is_reported",
    ]
    search_fields = ["kpi__name", "team__name"]
    list_select_related = ["kpi", "year", "team"]
    autocomplete_fields = ["kpi", "team"]
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = [
        "kpi_year",
        "quarter",
        "month",
        "published_text",
        "self_assessed_rag",
        "version",
        "updated_at",
    ]
    list_filter = ["kpi_year__year", "quarter", "self_assessed_rag", "kpi_year__team__directorate"]
    search_fields = ["kpi_year__kpi__name", "commentary"]
    list_select_related = ["kpi_year__kpi", "kpi_year__year"]
    history_list_display = ["version", "published_text"]

    # Read-only here: every change to a figure goes through a return or an import, which check
    # the quarter's lock and the version. The change history stays visible.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    fields = ["at", "action", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ReturnEvent._meta.get_field("comment").max_length,
        help_text="Kept with the return and shown to everyone who opens it.",
    )


@admin.register(TeamReturn)
class TeamReturnAdmin(admin.ModelAdmin):
    list_display = ["team", "year", "quarter", "status", "submitted_at", "submitted_by", "version"]
    list_filter = ["year", "quarter", "status", "team__directorate"]
    search_fields = ["team__name"]
    list_select_related = ["team", "year", "submitted_by"]
    change_form_template = "admin/kpis/teamreturn/change_form.html"
    readonly_fields = [
        "year",
        "quarter",
        "team",
        "status",
        "version",
        "submitted_at",
        "submitted_by",
    ]
    inlines = [ReturnEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        reopen = path(
            "<int:pk>/reopen/",
            self.admin_site.admin_view(self.reopen_view),
            name="kpis_teamreturn_reopen",
        )
        return [reopen, *super().get_urls()]

    def reopen_view(self, request, pk):
        """Reopen an approved return with a reason, through the same service as everywhere."""
        team_return = get_object_or_404(TeamReturn.objects.select_related("team", "year"), pk=pk)
        form = ReopenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.return_reopen(
                    by=request.user, team_return=team_return, reason=form.cleaned_data["reason"]
                )
            except PermissionDenied:
                raise
            except services.ReturnError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"Reopened {team_return}", messages.SUCCESS)
                return redirect("admin:kpis_teamreturn_change", team_return.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": team_return,
            "form": form,
            "title": f"Reopen {team_return}",
        }
        return TemplateResponse(request, "admin/kpis/teamreturn/reopen.html", context)


@admin.register(ReturnEvent)
class ReturnEventAdmin(admin.ModelAdmin):
    list_display = ["team_return", "action", "by", "at", "comment"]
    list_filter = ["action", "team_return__year", "team_return__quarter"]
    search_fields = ["team_return__team__name", "comment"]
    list_select_related = ["team_return__team", "team_return__year", "by"]

    # The trail of sign-off decisions is written by the services only, and never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "user", "team", "year", "quarter"]
    list_filter = ["sent_on", "year", "quarter", "team__directorate"]
    search_fields = ["user__username", "user__email", "team__name"]
    list_select_related = ["user", "team", "year"]

    # A record of emails already sent, kept by send_return_reminders; read-only here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SpcRebaseForm(forms.ModelForm):
    class Meta:
        model = SpcRebase
        fields = ["kpi", "year", "quarter", "month", "reason"]

    def clean(self):
        data = super().clean()
        kpi, year, quarter, month = (data.get(f) for f in ("kpi", "year", "quarter", "month"))
        if quarter is not None and not 1 <= quarter <= 4:
            self.add_error("quarter", "A quarter is 1, 2, 3 or 4")
        elif month is not None and quarter and month not in QUARTER_MONTHS[quarter]:
            months = ", ".join(str(m) for m in QUARTER_MONTHS[quarter])
            self.add_error("month", f"Quarter {quarter} holds months {months}")
        if kpi and year and not KpiYear.objects.filter(kpi=kpi, year=year).exists():
            self.add_error("year", f"{kpi} is not reported in {year}")
        if not (data.get("reason") or "").strip():
            self.add_error("reason", "Say what changed in the process: it is shown on the chart")
        return data


@admin.register(SpcRebase)
class SpcRebaseAdmin(SimpleHistoryAdmin):
    """Rebasing SPC limits: an admin's recorded decision, never automatic. A rebase is not
    edited once made (remove it and record a new one); its history keeps both."""

    form = SpcRebaseForm
    list_display = ["kpi", "year", "quarter", "month", "created_by", "created_at"]
    list_filter = ["year"]
    search_fields = ["kpi__name", "reason"]
    autocomplete_fields = ["kpi"]
    readonly_fields = ["created_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(KpiSpcState)
class KpiSpcStateAdmin(admin.ModelAdmin):
    """Read only: worked out from the figures by kpis.spc_state, never typed in."""

    list_display = ["kpi", "variation", "assurance", "limits_status", "computed_at"]
    list_filter = ["variation", "assurance", "limits_status"]
    search_fields = ["kpi__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
