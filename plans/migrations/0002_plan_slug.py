"""Each plan's slug, for its report's address /reports/<slug>/<year>/: plans already stored get
one from their title (an admin may change it; the demo's loader sets its own). Its constraints
are 0003, so that PostgreSQL alters the table in another transaction than the one filling it."""

from django.db import migrations, models
from django.utils.text import slugify

RESERVED = ("annual", "plans")


def slugs_from_titles(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    taken = set()
    for plan in Plan.objects.order_by("pk"):
        base = slugify(plan.title)[:44].strip("-") or "plan"
        if base in RESERVED:
            base = f"{base}-plan"
        slug, n = base, 1
        while (plan.year_id, slug) in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add((plan.year_id, slug))
        plan.slug = slug
        plan.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="slug",
            field=models.SlugField(max_length=50, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(slugs_from_titles, migrations.RunPython.noop),
    ]
