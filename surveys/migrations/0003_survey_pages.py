"""Survey pages: each survey's slug, how its overall mean is averaged, comments' themes, and
the invitations and reminders it emailed (SurveyEmail). Existing surveys get a slug from their
title, without the year, numbered where a year has two alike."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    taken = set()
    for survey in Survey.objects.select_related("year").order_by("pk"):
        title = survey.title
        for label in (survey.year.label.replace("-", "/"), survey.year.label):
            title = title.replace(label, "")
        base = slugify(title)[:90] or "survey"
        slug, number = base, 2
        while (survey.year_id, slug) in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add((survey.year_id, slug))
        survey.slug = slug
        survey.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("directorates", "0001_initial"),
        ("surveys", "0002_response_not_linked_to_invitee"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyEmail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("invitation", "Invitation"), ("reminder", "Reminder")],
                        max_length=10,
                    ),
                ),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("sent_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["invitee", "sent_at"],
            },
        ),
        migrations.AddField(
            model_name="comment",
            name="theme",
            field=models.CharField(
                blank=True,
                help_text="What the comment is about, as whoever reads the replies groups them (e.g. 'Communication'); the results page shows comments by theme.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="averaging",
            field=models.CharField(
                choices=[
                    ("ratings", "Mean of all ratings"),
                    ("respondents", "Mean of each respondent's mean rating"),
                ],
                default="ratings",
                help_text="How the overall mean is worked out. They differ when some respondents leave departments unrated: the mean of all ratings counts each rating once, the other each respondent once.",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="In the results page's address; from the title.",
                max_length=100,
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="survey",
            name="number_received",
            field=models.PositiveIntegerField(
                blank=True, help_text="As published, as for the number sent.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="survey",
            name="number_sent",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="As published, for a survey sent outside the portal. Once the portal sends invitations it counts them and their replies itself.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="survey",
            name="responses_due",
            field=models.DateField(
                blank=True, help_text="The last day its links take a reply.", null=True
            ),
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.UniqueConstraint(fields=("year", "slug"), name="survey_unique_slug"),
        ),
        migrations.AddField(
            model_name="surveyemail",
            name="invitee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="surveys.invitee",
            ),
        ),
        migrations.AddField(
            model_name="surveyemail",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who sent the invitations; empty for a reminder sent by the daily job.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyemail",
            constraint=models.UniqueConstraint(
                fields=("invitee", "kind"), name="surveyemail_once_per_kind"
            ),
        ),
    ]
