"""A response no longer points to its invitee: the invitee is only marked as having answered.

Each invitee whose response was linked is marked answered before the link goes, so the demo's
(and any loaded) response counts stay as they were.
"""

from django.db import migrations, models


def mark_answered(apps, schema_editor):
    Invitee = apps.get_model("surveys", "Invitee")
    Response = apps.get_model("surveys", "Response")
    linked = Response.objects.filter(invitee__isnull=False).values("invitee_id")
    Invitee.objects.filter(pk__in=linked).update(answered=True)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitee",
            name="answered",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_answered, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="response",
            name="invitee",
        ),
        migrations.AlterField(
            model_name="response",
            name="received_on",
            field=models.DateField(
                blank=True,
                help_text="The day only: a time could be matched to an invitee.",
                null=True,
            ),
        ),
    ]
