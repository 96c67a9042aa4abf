"""The results' task (Django tasks API, run by `motcua db_worker`)."""
from django_tasks import task

from motcua.results import jobs


@task()
def produce_result_document(job_id: int) -> dict:
    """Render and/or sign and issue a dossier's document result (`results.jobs.run`)."""
    return jobs.run(job_id)
