"""The audit trail: every change to data, with who, when, and the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("tindakan"), max_length=40)
    object_type = models.CharField(_("jenis data"), max_length=60)
    object_id = models.CharField(_("id data"), max_length=40, db_index=True)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("catatan perubahan")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field whose value changed."""
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)
        ]


class Worker(models.Model):
    """A process that runs background jobs (`nolkumuh worker`, or a web process when tasks run
    in the request): where it runs, so that the next worker can tell whether it is still alive."""

    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # when the process started (Linux: clock ticks since boot): a new process that was given a
    # dead worker's pid is not that worker
    process_start = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()  # heartbeat, for workers on another host

    class Meta:
        verbose_name = _("pekerja tugas latar")
        constraints = [
            models.UniqueConstraint(fields=["host", "pid", "process_start"], name="worker_process"),
        ]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class Job(models.Model):
    """A piece of background work a user asked for (a large import or export): who asked, what it
    is about, where it stands, and what came out (counts, messages, a file to download)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    id = models.UUIDField(primary_key=True)
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    session_key = models.CharField(max_length=64, blank=True)  # the owner when not logged in
    params = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    messages = models.JSONField(default=list)  # lines for the user: counts, or every problem
    result_path = models.CharField(max_length=500, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    # links or buttons the finished job offers (e.g. confirming a checked import): label, url, post
    actions = models.JSONField(default=list)
    worker = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    attempts = models.PositiveSmallIntegerField(default=0)  # times a worker started it
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tugas latar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="job_status"
            ),
        ]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
