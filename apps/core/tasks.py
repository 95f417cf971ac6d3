from django_tasks import task


@task()
def run_job(job_id: int):
    from apps.core.jobs import run_in_worker

    return run_in_worker(job_id)
