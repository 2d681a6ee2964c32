"""Background tasks of the baseline: each takes a job id, is safe to run twice, and calls one
service (nolkumuh.core.jobs.job_run with the work in nolkumuh.baseline.jobs)."""

from __future__ import annotations

from django_tasks import task

from nolkumuh.baseline.jobs import export_job, import_check_job, import_job
from nolkumuh.core.jobs import job_run


@task()
def import_apply_task(job_id: str) -> None:
    job_run(job_id=job_id, work=import_job)


@task()
def export_task(job_id: str) -> None:
    job_run(job_id=job_id, work=export_job)


@task()
def import_check_task(job_id: str) -> None:
    job_run(job_id=job_id, work=import_check_job)
