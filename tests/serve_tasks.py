"""A task for tests/test_serve.py: the worker `make serve` runs imports it from here."""

import time
from pathlib import Path

from django_tasks import task


@task()
def take_a_while(marker: str, seconds: float) -> None:
    Path(marker).write_text("started")
    time.sleep(seconds)
    Path(marker).write_text("finished")
