"""The directorates' narrative in the portal: a year's sections, a director's or deputy's
editor for their own directorate's section (preview and save a draft), and an admin's
publishing of the year's drafts into the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from common.http import allow_methods, form_view, read_only
from directorates import services
from reports.narrative import presenters, selectors
from reports.narrative.forms import NarrativeForm


@read_only
@login_required
def narrative_year(request, year):
    found = selectors.narrative_year(year)
    if found is None:
        raise Http404("No such financial year")
    page = presenters.year_page(request.user, *found)
    return render(
        request, "reports/narrative_year.html", {"page": page, "breadcrumbs": page.breadcrumbs}
    )


@allow_methods("POST")
@login_required
def narrative_publish(request, year):
    found = selectors.narrative_year(year)
    if found is None:
        raise Http404("No such financial year")
    published = services.narrative_publish(year=found[0], by=request.user)
    if published:
        titles = ", ".join(section.title for section in published)
        messages.success(
            request, f"Published: {titles}. The {found[0].display_name} report shows them now."
        )
    else:
        messages.info(request, "No draft was waiting to be published.")
    return redirect("narrative_year", year=year)


@allow_methods("POST")
@login_required
def narrative_start(request, year, directorate):
    found, chosen = selectors.narrative_year(year), selectors.directorate(directorate)
    if found is None or chosen is None:
        raise Http404("No such financial year or directorate")
    made = services.narrative_start(year=found[0], directorate=chosen, by=request.user)
    if made:
        titles = ", ".join(section.title for section in made)
        messages.success(
            request, f"Started: {titles}, from the latest earlier year's. Edit and save it."
        )
    else:
        messages.info(request, f"{chosen.name} already has its {found[0]} narrative.")
    return redirect("narrative_year", year=year)


@form_view
@login_required
def narrative_edit(request, year, section):
    section = selectors.section_by_slug(year, section)
    if section is None:
        raise Http404("No such section of the narrative")
    services.check_writable(request.user, section)
    form = NarrativeForm(section.current_content(), request.POST or None)
    preview = summary = None
    if form.is_bound and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = presenters.preview_of(section, form)
        else:
            summary = _save(request, section, form)
            if summary is None:
                return redirect(request.path)
    history = selectors.section_history(section)  # after a save refused, its newer version
    page = presenters.editor_page(section, form, history=history, preview=preview, summary=summary)
    return render(
        request,
        "reports/narrative_edit.html",
        {"page": page, "breadcrumbs": page.breadcrumbs},
        status=400 if page.summary else 200,
    )


def _save(request, section, form) -> list[dict[str, str]] | None:
    """Save the valid form as the user's draft: None once saved, else the error summary of a
    save refused because someone else saved since the form was opened."""
    try:
        services.narrative_save(
            section=section,
            content=form.content(),
            by=request.user,
            based_on=_version(request.POST.get("version")),
        )
    except services.StaleDraft as stale:
        return [{"text": str(stale), "href": "#history"}]
    messages.success(
        request,
        "Your draft is saved. The report shows it once an admin publishes the year's narrative.",
    )
    return None


def _version(value) -> int | None:
    """The version the form was opened on; None (no check) when the post carries none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
