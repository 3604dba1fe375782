"""Admin for imports: the read-only trail of imports, and the two-step 'Import returns' page."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from ccgportal import imports
from ccgportal.import_presenters import SHOWN, preview_context, template_response
from ccgportal.models import ImportRecord, PendingImport
from common.importing import ImportRefused
from directorates import access
from directorates.access import Perm
from directorates.models import FinancialYear
from kpis.imports.template import examples


class YearField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} (locked)" if obj.is_locked else str(obj)


class UploadForm(forms.Form):
    year = YearField(
        FinancialYear.objects.all(),
        to_field_name="label",
        empty_label=None,
        help_text="Figures of a locked year are never changed.",
    )
    file = forms.FileField(help_text="CSV or Excel (.xlsx).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The year returns are being made for, not the first in the list (a locked one).
        self.fields["year"].initial = open_year()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:  # refused before a byte of it is read into memory
            raise forms.ValidationError(
                f"{upload.name} is {filesizeformat(upload.size)}; the largest file accepted is "
                f"{filesizeformat(limit)}."
            )
        if not upload.size:
            raise forms.ValidationError(f"{upload.name} is empty.")
        return upload


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Read only: written by the import runner, one per confirmed import."""

    list_display = [
        "pk",
        "imported_at",
        "imported_by",
        "file_name",
        "layout",
        "year",
        "new_count",
        "changed_count",
        "unchanged_count",
    ]
    list_filter = ["year", "layout"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["imported_by", "year"]
    change_list_template = "admin/ccgportal/importrecord/change_list.html"
    change_form_template = "admin/ccgportal/importrecord/change_form.html"
    # The change page: the record's facts, then its changes and consequences as tables.
    fields = [
        "imported_at",
        "imported_by",
        "file_name",
        "sha256",
        "size",
        "layout",
        "year",
        "new_count",
        "changed_count",
        "unchanged_count",
        "changes_table",
        "consequences_table",
    ]
    readonly_fields = fields

    @admin.display(description="Changes")
    def changes_table(self, record):
        rows = [
            (
                "" if change.get("row") is None else change["row"],
                str(change.get("kind", "")).capitalize(),
                change.get("what", ""),
                change.get("before", ""),
                change.get("after", ""),
            )
            for change in record.changes[:SHOWN]
        ]
        return _table(
            "import-changes",
            ["Row", "Change", "What", "Before", "After"],
            rows,
            hidden=len(record.changes) - len(rows),
            empty="No figure or target was new or changed.",
        )

    @admin.display(description="Consequences")
    def consequences_table(self, record):
        rows = [
            (c.get("what", ""), c.get("measure", ""), c.get("before", ""), c.get("after", ""))
            for c in record.consequences[:SHOWN]
        ]
        return _table(
            "import-consequences",
            ["KPI or line", "Rating", "Before", "After"],
            rows,
            hidden=len(record.consequences) - len(rows),
            empty="No rating changed.",
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def view(function, route, name):
            return path(route, self.admin_site.admin_view(function), name=name)

        return [
            view(self.upload_view, "import/", "ccgportal_import"),
            view(self.template_view, "import/template/", "ccgportal_import_template"),
            view(self.preview_view, "import/<uuid:pk>/", "ccgportal_import_preview"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def upload_view(self, request):
        """Step 1: the year and the file; the file is kept on the server for step 2."""
        _superuser(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            pending = imports.pending_create(
                by=request.user,
                name=upload.name,
                data=upload.read(),
                year=form.cleaned_data["year"],
            )
            return redirect("admin:ccgportal_import_preview", pending.pk)
        year = open_year()
        context = self._context(
            request,
            "Import returns",
            form=form,
            years=FinancialYear.objects.open(),
            examples=examples(year) if year else [],
        )
        return TemplateResponse(request, "admin/ccgportal/importrecord/upload.html", context)

    def preview_view(self, request, pk):
        """Step 2: the preview, and Confirm when it has no problems."""
        _superuser(request)
        pending = get_object_or_404(PendingImport.objects.usable_by(request.user), pk=pk)
        data = bytes(pending.data)
        if request.method == "POST":
            try:
                record = imports.pending_confirm(
                    by=request.user, pending=pending, expected_digest=request.POST.get("digest", "")
                )
            except ImportRefused as refused:
                for problem in refused.problems:
                    self.message_user(request, str(problem), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Imported {record.file_name} into {record.year}: {record.new_count} new, "
                    f"{record.changed_count} changed, {record.unchanged_count} unchanged "
                    f"(import {record.pk}).",
                    messages.SUCCESS,
                )
                return redirect("admin:ccgportal_importrecord_change", record.pk)
        plan, table = imports.preview(pending.file_name, data, year=pending.year)
        context = self._context(
            request,
            f"Preview: {pending.file_name} into {pending.year}",
            pending=pending,
            **preview_context(plan, table),
        )
        return TemplateResponse(request, "admin/ccgportal/importrecord/preview.html", context)

    def template_view(self, request):
        """The long layout's template: its header and an example row per KPI of the year."""
        _superuser(request)
        year = FinancialYear.objects.filter(label=request.GET.get("year", "")).first()
        if year is None:
            raise Http404("No such year")
        return template_response(year, request.GET.get("format", "csv"))


def open_year() -> FinancialYear | None:
    """The year returns are being made for: the latest open one."""
    return FinancialYear.objects.open().order_by("-start_date").first()


def _table(id_: str, head: list[str], rows: list[tuple], *, hidden: int, empty: str):
    """A read-only table of a record's items, in the admin's own table style."""
    if not rows:
        return empty
    header = format_html_join("", '<th scope="col">{}</th>', ((name,) for name in head))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
    )
    more = format_html("<p>… and {} more, not listed here.</p>", hidden) if hidden else ""
    return format_html(
        '<table id="{}"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}',
        id_,
        header,
        body,
        more,
    )


def _superuser(request) -> None:
    # Imports write any team's figures: only admins, checked on every request.
    access.require(request.user, Perm.IMPORT_RETURNS)
