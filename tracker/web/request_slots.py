"""At most a few requests run the app at once in one process; the others wait their turn.

A page is mostly Python (building and encoding components) with a few dozen short database round trips
between. When eight threads of one process all run pages, every thread coming back from a round trip
waits for the GIL behind threads that are computing (up to the 5 ms switch interval each time): under
50 users on 2 cores, reads took 3-4 times as long at p95 with 8 threads running pages as with 2
(docs/load.md, round 10). The server keeps its threads, so a client that sends its request slowly still
holds a thread, not a slot: the slot is taken only once the request has arrived and is let go as soon
as the answer is built.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

# Answered without a slot: a load balancer's "is the process up" must not queue behind slow pages.
UNQUEUED_SUFFIXES = ("/health",)


class RequestSlots:
    """WSGI middleware: `slots` requests at a time through `app`."""

    def __init__(self, app: Callable, slots: int):
        self.app = app
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").endswith(UNQUEUED_SUFFIXES):
            return self.app(environ, start_response)
        with self._free:
            return self.app(environ, start_response)
