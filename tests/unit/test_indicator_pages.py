"""The indicator pages' callbacks answer a form with a handful of outputs (pattern-matching ids and a
refresh Store), so a new field never means counting outputs by hand."""

from __future__ import annotations

from dash import Output

from tracker.web.callbacks import noted

MODULES = ("tracker.web.pages.indicator", "tracker.web.pages.indicators", "tracker.web.pages.admin_rag")


def _outputs() -> dict[str, int]:
    return {f"{c.module.rsplit('.', 1)[1]}.{c.func.__name__}": sum(isinstance(a, Output) for a in c.args)
            for c in noted() if c.module in MODULES}


def test_every_form_callback_of_the_indicator_pages_has_a_handful_of_outputs(app):  # the app imports the pages
    counts = _outputs()
    assert {"indicators.add_indicator", "indicator.save_definition", "indicator.save_value",
            "admin_rag.save_level"} <= counts.keys()
    too_many = {name: n for name, n in counts.items() if n > 7}
    assert too_many == {}, f"callbacks with more than 7 outputs: {too_many}"
    # Before the forms moved to pattern-matching ids: 26, 26, 12 and 9.
    assert counts["indicators.add_indicator"] <= 4 and counts["indicator.save_definition"] <= 5
    assert counts["indicator.save_value"] <= 6 and counts["admin_rag.save_level"] <= 5
