"""Page callbacks, registered on each app with its own `app.callback`.

A page declares a callback with `@callback(...)` from here, exactly as with `dash.callback`; the
decorator only notes it (and returns the function unchanged, so a test can call it). `create_app`
then calls `register(app)`, which registers every noted callback with `app.callback`: each app made in
a process (each test makes its own) gets all of them, without Dash's global registry, which the first
app to serve a request empties.

A page's callback answers something the reader did (a click, an upload, a save that asks for a
refresh), never the page being drawn: `prevent_initial_call` is True unless a callback says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash


@dataclass(frozen=True)
class PageCallback:
    module: str
    func: Callable[..., Any]
    args: tuple
    kwargs: dict


_NOTED: list[PageCallback] = []


def callback(*args, **kwargs) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`dash.callback`'s signature: note the callback for every app `register` is given (not run
    when its page is drawn, unless it is given prevent_initial_call=False)."""
    kwargs.setdefault("prevent_initial_call", True)

    def note(func: Callable[..., Any]) -> Callable[..., Any]:
        _NOTED.append(PageCallback(func.__module__, func, args, kwargs))
        return func

    return note


def noted() -> list[PageCallback]:
    return list(_NOTED)


def register(app: dash.Dash) -> int:
    """Register every noted page callback on `app` (its own callback map); returns how many."""
    for spec in _NOTED:
        app.callback(*spec.args, **spec.kwargs)(spec.func)
    return len(_NOTED)
