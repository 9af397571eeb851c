"""At most a few requests run the app at once in one process; the others wait their turn.

A page is mostly Python (building and encoding components) with a few dozen short database round trips
between. When eight threads of one process all run pages, every thread coming back from a round trip
waits for the GIL behind threads that are computing (up to the 5 ms switch interval each time): under
50 users on 2 cores, reads took 3-4 times as long at p95 with 8 threads running pages as with 2
(docs/load.md, round 10). The server keeps its threads, so a client that sends its request slowly still
holds a thread, not a slot: the slot is taken only once the request has arrived and is let go as soon
as the answer is built.

Sign-ins have a lane of their own, two at a time: each hashes a password (argon2, about 0.1 s of CPU,
outside the GIL). In the pages' slots, 50 people arriving at once held the slots with hashing and every
page waited behind them (docs/load.md, round 12).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

# Answered without a slot: a load balancer's "is the process up" must not queue behind slow pages.
UNQUEUED_SUFFIXES = ("/health",)
SIGN_IN_SUFFIXES = ("/login",)  # the sign-in form and its post: the sign-in lane
SIGN_IN_LANE = 2  # one lane gave a sign-in p95 of 2.8 s as 50 people arrived; two, 1.1-1.2 s


class RequestSlots:
    """WSGI middleware: `slots` requests at a time through `app`, and beside them SIGN_IN_LANE sign-ins."""

    def __init__(self, app: Callable, slots: int):
        self.app = app
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)
        self._sign_in = threading.BoundedSemaphore(SIGN_IN_LANE)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.endswith(UNQUEUED_SUFFIXES):
            return self.app(environ, start_response)
        with self._sign_in if path.endswith(SIGN_IN_SUFFIXES) else self._free:
            return self.app(environ, start_response)
