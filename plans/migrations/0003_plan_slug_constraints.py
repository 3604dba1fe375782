"""A plan's slug is required, unique in its year and never one of the addresses under /reports/
that are not a plan's."""

from django.db import migrations, models
from django.db.models import Q

RESERVED = ("annual", "plans")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_plan_slug"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="slug",
            field=models.SlugField(
                help_text=(
                    "The plan's name in its report's address, /reports/<slug>/<year>/ (the same "
                    "plan in another year keeps its slug); not 'annual' or 'plans'."
                ),
                max_length=50,
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(fields=("year", "slug"), name="plan_unique_slug"),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=~Q(slug__in=RESERVED) & ~Q(slug=""),
                name="plan_slug_not_reserved",
                violation_error_message=(
                    "A plan's slug cannot be empty, 'annual' or 'plans': those addresses under "
                    "/reports/ are other pages'."
                ),
            ),
        ),
    ]
