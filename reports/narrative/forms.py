"""The narrative editor's form: a section's purpose and intro lines, then its highlights, facts
and case studies as formsets, one fieldset each, with a blank one to add. A highlight, fact or
case study whose boxes are all cleared is removed. Every message says what to do, NHS.UK style.
"""

from django import forms

from directorates.narrative import LIMITS, CaseStudyText, Content, HighlightText

# How many of each a section may hold (the published record's largest is 34 highlights).
MAX_HIGHLIGHTS, MAX_FACTS, MAX_CASE_STUDIES = 60, 20, 12


def _text(label: str, limit: int, *, required: str = "", textarea: bool = False, hint: str = ""):
    """A text field whose messages name it: 'Enter …' when required, its limit when too long."""
    messages = {
        "max_length": f"{label} must be {limit:,} characters or fewer (you wrote %(show_value)d)",
        "null_characters_not_allowed": f"Remove the unreadable characters from {label.lower()}",
    }
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label,
        max_length=limit,
        required=bool(required),
        strip=True,
        help_text=hint,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages=messages,
    )


BLOCKS_HINT = (
    "Leave a blank line between paragraphs. Start a line with a hyphen and a space for a "
    "bullet; indent it by two spaces for a bullet under the one before."
)


class SectionForm(forms.Form):
    purpose = _text(
        "Key summary of purpose",
        LIMITS["purpose"],
        required="Enter the key summary of purpose",
        textarea=True,
        hint=BLOCKS_HINT,
    )
    highlights_intro = _text(
        "Introduction to the key highlights",
        LIMITS["highlights_intro"],
        hint="Optional. One sentence before the highlights.",
    )
    facts_intro = _text(
        "Introduction to 'Did you know'",
        LIMITS["facts_intro"],
        hint="Optional. One sentence before the facts.",
    )


class HighlightForm(forms.Form):
    group = _text(
        "Group heading",
        LIMITS["group"],
        hint="Optional. The heading this highlight and the ones after it sit under.",
    )
    text = _text("Highlight", LIMITS["highlight"], textarea=True)
    items = _text(
        "Sub-bullets",
        LIMITS["sub_bullet"] * 20,
        textarea=True,
        hint="Optional. One a line.",
    )

    def clean_items(self):
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        limit = LIMITS["sub_bullet"]
        for number, line in enumerate(lines, start=1):
            if len(line) > limit:
                raise forms.ValidationError(
                    f"Sub-bullet {number} must be {limit:,} characters or fewer "
                    f"(it has {len(line):,})"
                )
        return lines

    def clean(self):
        data = super().clean()
        detail = data.get("group") or data.get("items")
        if detail and not data.get("text") and "text" not in self.errors:
            self.add_error("text", "Enter the highlight, or clear its heading and sub-bullets")
        return data

    def value(self) -> HighlightText | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return HighlightText(data["text"], data.get("group", ""), tuple(data.get("items", ())))


class FactForm(forms.Form):
    text = _text("Fact", LIMITS["fact"], textarea=True)

    def value(self) -> str | None:
        return self.cleaned_data.get("text") or None


class CaseStudyForm(forms.Form):
    title = _text("Title", LIMITS["case_title"])
    subtitle = _text("Subtitle", LIMITS["case_subtitle"], hint="Optional.")
    body = _text("Case study", LIMITS["case_body"], textarea=True, hint=BLOCKS_HINT)

    def clean(self):
        data = super().clean()
        title, body = data.get("title"), data.get("body")
        if (title or body or data.get("subtitle")) and not (title and body):
            if not title and "title" not in self.errors:
                self.add_error("title", "Enter the case study's title")
            if not body and "body" not in self.errors:
                self.add_error("body", "Enter the case study, or clear its title and subtitle")
        return data

    def value(self) -> CaseStudyText | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return CaseStudyText(data["title"], data["body"], data.get("subtitle", ""))


def _formset(form, maximum: int, noun: str, plural: str):
    formset = forms.formset_factory(
        form, extra=1, max_num=maximum, validate_max=True, absolute_max=maximum + 1
    )
    formset.noun, formset.plural = noun, plural
    return formset


HighlightFormSet = _formset(HighlightForm, MAX_HIGHLIGHTS, "Highlight", "highlights")
FactFormSet = _formset(FactForm, MAX_FACTS, "Fact", "facts")
CaseStudyFormSet = _formset(CaseStudyForm, MAX_CASE_STUDIES, "Case study", "case studies")


class NarrativeForm:
    """The section form and its three formsets, bound or not, as one."""

    def __init__(self, content: Content, data=None):
        self.section = SectionForm(
            data,
            initial={
                "purpose": content.purpose,
                "highlights_intro": content.highlights_intro,
                "facts_intro": content.facts_intro,
            },
        )
        self.highlights = HighlightFormSet(
            data,
            prefix="highlight",
            initial=[
                {"group": h.group, "text": h.text, "items": "\n".join(h.items)}
                for h in content.highlights
            ],
        )
        self.facts = FactFormSet(data, prefix="fact", initial=[{"text": t} for t in content.facts])
        self.case_studies = CaseStudyFormSet(
            data,
            prefix="case",
            initial=[
                {"title": c.title, "subtitle": c.subtitle, "body": c.body}
                for c in content.case_studies
            ],
        )
        self.formsets = (self.highlights, self.facts, self.case_studies)

    @property
    def is_bound(self) -> bool:
        return self.section.is_bound

    def is_valid(self) -> bool:
        return all([self.section.is_valid(), *(formset.is_valid() for formset in self.formsets)])

    def content(self) -> Content:
        """The content the valid form holds, its cleared entries left out."""

        def values(formset):
            return tuple(v for f in formset.forms if (v := f.value()) is not None)

        data = self.section.cleaned_data
        return Content(
            purpose=data["purpose"],
            highlights_intro=data["highlights_intro"],
            highlights=values(self.highlights),
            facts_intro=data["facts_intro"],
            facts=values(self.facts),
            case_studies=values(self.case_studies),
        )

    def error_summary(self) -> list[dict[str, str]]:
        """The NHS.UK error summary's entries, each linking to its field, in the page's order."""
        if not self.is_bound:
            return []
        found = [
            {"text": message, "href": f"#{self.section[name].auto_id}"}
            for name, errors in self.section.errors.items()
            for message in errors
        ]
        for formset in self.formsets:
            for message in formset.non_form_errors():
                found.append(
                    {"text": f"{message} ({formset.plural})", "href": f"#{formset.prefix}"}
                )
            for number, form in enumerate(formset.forms, start=1):
                for name, errors in form.errors.items():
                    anchor = form[name].auto_id if name in form.fields else formset.prefix
                    found += [
                        {"text": f"{formset.noun} {number}: {message}", "href": f"#{anchor}"}
                        for message in errors
                    ]
        return found
