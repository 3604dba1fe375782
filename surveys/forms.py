"""The survey's reply form: a rating on the survey's scale, or 'did not use', per department,
and what should improve."""

from django import forms

from surveys.models import Survey, SurveyItem

DID_NOT_USE = "none"
DID_NOT_USE_TEXT = "Did not use"
IMPROVE_MAX_LENGTH = 5000
IMPROVE_LABEL = "What should we improve?"
IMPROVE_HINT = (
    "Optional. Your answer is kept with your ratings but not with your name; do not name "
    "yourself if you do not want to be known."
)


def field_name(item: SurveyItem) -> str:
    return f"item-{item.pk}"


class ReplyForm(forms.Form):
    """One choice per rated item ('1' … '10' or 'none') and the free text."""

    def __init__(self, survey: Survey, items: list[SurveyItem], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.items = survey, items
        scale = range(survey.scale_min, survey.scale_max + 1)
        self.scale = [str(score) for score in scale]
        for item in items:
            refused = (
                f"Choose a rating from {survey.scale_min} to {survey.scale_max} for "
                f"{item.name}, or '{DID_NOT_USE_TEXT}'"
            )
            self.fields[field_name(item)] = forms.ChoiceField(
                label=item.name,
                choices=[(score, score) for score in self.scale] + [(DID_NOT_USE, "")],
                error_messages={"required": refused, "invalid_choice": refused},
            )
        self.fields["improve"] = forms.CharField(
            label=IMPROVE_LABEL,
            required=False,
            max_length=IMPROVE_MAX_LENGTH,
            strip=True,
            error_messages={
                "max_length": f"Write no more than {IMPROVE_MAX_LENGTH:,} characters about "
                "what we should improve (you wrote %(show_value)d)",
                "null_characters_not_allowed": "Remove the unreadable characters from your "
                "answer about what we should improve",
            },
        )

    def answers(self) -> dict[int, int | None]:
        """Item id -> score, None where the respondent did not use the department."""
        return {
            item.pk: None
            if self.cleaned_data[field_name(item)] == DID_NOT_USE
            else int(self.cleaned_data[field_name(item)])
            for item in self.items
        }

    def comment(self) -> str:
        return self.cleaned_data["improve"]

    def chosen(self, item: SurveyItem) -> str:
        """What the respondent chose for an item, to show it again beside an error."""
        value = self.data.get(field_name(item), "") if self.is_bound else ""
        return value if value in (*self.scale, DID_NOT_USE) else ""

    def error_summary(self) -> list[dict[str, str]]:
        """Entries for the NHS.UK error summary, each linking to its first radio or the box."""
        return [
            {"text": message, "href": f"#{name}"}
            for name, errors in self.errors.items()
            for message in errors
        ]
