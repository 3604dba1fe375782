"""Records of imports and the uploads waiting for an admin to confirm them.

They live here rather than in an app because one import runner serves every app's layouts
(KPI figures, running costs, survey responses) and keeps one trail for all of them.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from directorates.models import FinancialYear

# An upload not confirmed within a day is dropped: the figures it was previewed against
# have likely moved on, and its bytes should not linger.
PENDING_LIFETIME = timedelta(days=1)


class ImportRecord(models.Model):
    """Who imported which file into which year, when, and every item it changed."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    layout = models.CharField(max_length=120)
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    changes = models.JSONField(
        default=list, help_text="Every new and changed item: what, before, after, row."
    )
    consequences = models.JSONField(default=list, help_text="Ratings the import changed.")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "import"

    def __str__(self):
        return f"Import {self.pk}: {self.file_name} into {self.year}"


class PendingImportQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(created_at__lt=timezone.now() - PENDING_LIFETIME)

    def usable_by(self, user):
        """Only the admin who uploaded the file may preview or confirm it, within a day."""
        return self.filter(
            uploaded_by=user, created_at__gte=timezone.now() - PENDING_LIFETIME
        ).select_related("year")


class PendingImport(models.Model):
    """An uploaded file between its preview and the admin's confirmation, kept on the server
    so that what is confirmed is exactly what was previewed. Its id is unguessable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PendingImportQuerySet.as_manager()

    def __str__(self):
        return f"{self.file_name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"
