"""Root pytest configuration: give each test process its own range of ports for Dash test servers.

dash[testing] starts every process's servers at port 58050; two runs at once (pytest-xdist workers,
or two people's runs on one machine) would then serve each other's apps. A free port found by the
operating system becomes this process's starting point instead.
"""

import socket

from dash.testing.application_runners import BaseDashRunner


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BaseDashRunner._next_port = _free_port()
