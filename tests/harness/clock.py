"""Wall and CPU time per stage of the harness, summed over a run in the terminal summary.

CPU counts this process and every child it waited for (a check's tools, their own
children), so a stage that waits on a subprocess shows the subprocess's work.
"""

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


def cpu_seconds() -> float:
    """CPU of this process and of its children that have ended, user and system."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class StageClock:
    # stage -> [wall seconds, CPU seconds]
    stages: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, wall: float, cpu: float) -> None:
        totals = self.stages.setdefault(name, [0.0, 0.0])
        totals[0] += wall
        totals[1] += cpu

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - wall, cpu_seconds() - cpu)
