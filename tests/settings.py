"""The suite's settings: the project's, in development whatever the shell says (production is the
default of motcua.settings): debug, the development secrets, the test PKI and every stand-in."""
import os

DEVELOPMENT = {
    "MOTCUA_DEBUG": "1",
    "MOTCUA_TEST_PKI": "1",
    "MOTCUA_PAYMENT_SIMULATOR": "1",
    "MOTCUA_NATIONAL_STAND_IN": "1",
    "MOTCUA_POPULATION_STAND_IN": "1",
    "MOTCUA_TEXT_STAND_IN": "1",
}
# In the environment, so that the commands a test starts as processes run in development too,
# with the project's own settings module.
os.environ.update(DEVELOPMENT)
os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"

from motcua.settings import *  # noqa: E402, F403

# Document results are rendered and signed by a task (results.jobs): in the suite the task runs at
# once, inside the request, unless a test asks for the database backend (the worker's).
TASKS = {**TASKS, "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
MOTCUA_DOCUMENT_TASK_BACKEND = "immediate"
