"""The pieces every form of the tracker shares.

- `field`: a native control (dbc.Input, dbc.Select, dbc.Textarea) with its dbc.Label tied to it, an
  optional hint, and the slot its error message goes in: a dbc.FormFeedback after the control, which
  Bootstrap shows while the control is `invalid`.
- `select`: a dbc.Select that shows the words of its empty choice rather than a blank box.
- `folded_form`: a form folded away under its title, with the place its messages go.
- `error_summary` / `refused`: what a refused save shows at the top of the form, each problem a link
  to its field.
- Forms on pattern-matching ids: each control's id is `form_field(form, name)` =
  {"form": form, "field": name}, its error slot {"form": "<form>-<suffix>", "field": name}, so one
  callback reads and answers every field of a form with a handful of outputs: `form_states(form)`
  and `read_form(ids, values)` to read it, `form_outputs(form)` and `form_feedback(form, errors)` for
  the fields' `invalid` flags and messages, `form_values_output(form)` and `form_reset(form, values)`
  to empty it after a save.
- `field_outputs` / `field_values`: the same for fields with plain string ids (one output each).
- `dom_id`: the id a component has in the page (a pattern-matching id as Dash writes it).
- `to_int` / `record_id`: a number from the browser (a value, a Store, a part of the path), checked.
- `ticked_states(kind, key)` / `ticked_ids(ids, values, key)`: a list of checkboxes, one per record,
  each with the id {"type": kind, key: <the record's id>}, and the record ids of those ticked.
- `bumped(count)`: the next value of a Store a save bumps to have its page redrawn.

dbc controls take no aria-* properties, so a field's wrapper names its control, hint and error in
data-* attributes, and assets/forms.js keeps the control's aria-describedby (the hint, and the error
while the control is invalid) and aria-invalid in step with its `invalid` state.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping

import dash_bootstrap_components as dbc
from dash import ALL, Output, State, ctx, dcc, html, no_update

from tracker.services.errors import NotFound, ServiceError
from tracker.services.reference import fits_integer_column, is_record_id

NOTHING_SAVED = "Nothing was saved. Fix the following and try again:"


def dom_id(component_id: str | dict) -> str:
    """The id a component has in the page: a pattern-matching (dict) id is written as Dash writes it
    (keys sorted, compact JSON), so a label's html_for or a link's #fragment can point at it."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def suffixed(component_id: str | dict, suffix: str) -> str | dict:
    """The id of a field's companion: "<id>-<suffix>", or for a pattern-matching id the same keys
    with "<type>-<suffix>" (or "<form>-<suffix>" for a form_field id), so a callback can still match
    it with ALL or MATCH."""
    if isinstance(component_id, dict):
        key = "form" if "form" in component_id else "type"
        return {**component_id, key: f"{component_id[key]}-{suffix}"}
    return f"{component_id}-{suffix}"


# --- Forms on pattern-matching ids -------------------------------------------------------------


def form_field(form: str, name: str) -> dict:
    """The id of the control of field `name` of form `form`."""
    return {"form": form, "field": name}


def form_fields(form: str, names) -> dict[str, dict]:
    """Field name -> control id, for error_summary's links."""
    return {name: form_field(form, name) for name in names}


def form_states(form: str, prop: str = "value") -> list[State]:
    """Two States: the ids of the form's controls, then their values (read them with read_form)."""
    return [State(form_field(form, ALL), "id"), State(form_field(form, ALL), prop)]


def read_form(ids, values, names=None) -> dict:
    """{field name: value} from form_states' two lists (sent by the browser, so checked: anything
    that is not one of the form's ids is ignored; with `names`, only those fields are kept)."""
    data = {}
    for component_id, value in zip(ids or [], values or [], strict=False):
        name = component_id.get("field") if isinstance(component_id, dict) else None
        if isinstance(name, str) and (names is None or name in names):
            data[name] = value
    return data


def form_outputs(form: str, error_suffix: str = "feedback") -> list[Output]:
    """Two Outputs: every control's `invalid` flag, every error slot's message."""
    return [Output(form_field(form, ALL), "invalid"),
            Output(suffixed(form_field(form, ALL), error_suffix), "children")]


def form_values_output(form: str) -> Output:
    return Output(form_field(form, ALL), "value")


def _output_fields(form_key: str, prop: str) -> list[str]:
    """The field names of an ALL output of this callback, in the order Dash expects its values."""
    for group in ctx.outputs_list or []:
        if isinstance(group, list) and group and all(
                isinstance(o.get("id"), dict) and o["id"].get("form") == form_key and o.get("property") == prop
                for o in group):
            return [o["id"].get("field") for o in group]
    return []


def form_feedback(form: str, errors: Mapping[str, str] | None = None,
                  error_suffix: str = "feedback") -> tuple[list[bool], list[str]]:
    """The values of form_outputs: a flag for each control (invalid when `errors` names it), the
    message for each error slot ("" when none)."""
    errors = errors or {}
    flags = [name in errors for name in _output_fields(form, "invalid")]
    messages = [errors.get(name, "") for name in _output_fields(f"{form}-{error_suffix}", "children")]
    return flags, messages


def form_unchanged(form: str, prop: str = "value") -> list:
    """The value of an ALL output that changes nothing (Dash wants a list: one no_update per field)."""
    return [no_update] * len(_output_fields(form, prop))


def form_reset(form: str, values: Mapping[str, object], keep_others: bool = False) -> list:
    """The values of form_values_output: each control's value in `values` ("" when not given, or
    unchanged with `keep_others`)."""
    other = no_update if keep_others else ""
    return [values.get(name, other) for name in _output_fields(form, "value")]


def field(label: str, control, hint: str | None = None, *, error_suffix: str | None = "feedback",
          error_id: str | dict | None = None, class_name: str = "mb-3") -> html.Div:
    """A labelled control with its hint and the place its error message goes; `control` needs an id.

    The error slot is a dbc.FormFeedback with the id `suffixed(control.id, error_suffix)`. Give
    `error_id` instead when the message is shown elsewhere (e.g. one block for a group of fields),
    or `error_suffix=None` for a field that is never refused on its own.
    """
    control_id = control.id
    hint_id = suffixed(control_id, "hint") if hint else None
    own_slot = error_id is None and error_suffix is not None
    if own_slot:
        error_id = suffixed(control_id, error_suffix)
    data = {"data-field-control": dom_id(control_id)}
    if hint_id is not None:
        data["data-field-hint"] = dom_id(hint_id)
    if error_id is not None:
        data["data-field-error"] = dom_id(error_id)
    return html.Div([
        dbc.Label(label, html_for=dom_id(control_id), className="fw-semibold mb-1"),
        html.Div(hint, className="form-text mt-0 mb-1", id=hint_id) if hint_id is not None else None,
        control,
        dbc.FormFeedback("", type="invalid", id=error_id) if own_slot else None,
    ], className=class_name, **data)


def select_options(options: Iterable[tuple[object, str]], blank: str | None = None) -> list[dict]:
    """Options for a dbc.Select from (value, text) pairs; with `blank`, a first option of value ""."""
    result = [{"label": blank, "value": ""}] if blank is not None else []
    return result + [{"label": text, "value": str(value)} for value, text in options]


def select(component_id: str | dict, options: list[dict], value=None, **kwargs) -> dbc.Select:
    """A dbc.Select that shows the words of its "" option while nothing else is chosen.

    dbc.Select puts a hidden option of value "" first, whose text is its `placeholder`; while the
    value is "", that hidden option is the one shown, so without a placeholder the box is blank.
    """
    blank = next((o["label"] for o in options if o.get("value") == ""), None)
    if blank is not None:
        kwargs.setdefault("placeholder", blank)
    return dbc.Select(id=component_id, options=options, value="" if value is None else str(value), **kwargs)


def folded_form(title: str, intro, message_id: str, children: list, summary_id: str, section_id: str,
                summary_class: str = "") -> html.Details:
    """A form folded away under its title until opened (a native <details>, so it works from the
    keyboard): a note on how it works, the place its messages go (announced), then the form."""
    return html.Details([
        html.Summary(title, className=f"h5 mb-0 {summary_class}".strip(), id=summary_id),
        html.Div([
            html.P(intro, className="text-muted small mt-2"),
            html.Div(id=message_id, **{"aria-live": "polite"}),
            *children,
        ], className="pt-2"),
    ], className="card-section", id=section_id)


def error_summary(errors: Mapping[str, str], fields: Mapping[str, str | dict] | None = None,
                  labels: Mapping[str, str] | None = None, summary_id: str = "error-summary",
                  heading: str = NOTHING_SAVED) -> dbc.Alert:
    """The problems listed at the top of the form (an alert, so it is announced), each a link to the
    field to fix. `errors` maps a field name ("" for the form as a whole) to its message; `fields`
    maps a field name to its control's id, `labels` to the words that name it."""
    fields, labels = fields or {}, labels or {}
    items = []
    for name, message in errors.items():
        text = f"{labels[name]}: {message}" if name in labels else message
        target = fields.get(name)
        items.append(html.Li(html.A(text, href=f"#{dom_id(target)}") if target is not None else text))
    # The error-summary class: assets/forms.js moves focus to it when it appears, so a refused save is
    # announced and seen even when the form's top is scrolled out of view.
    return dbc.Alert([
        html.H2(heading, className="h6 alert-heading"),
        html.Ul(items, className="mb-0"),
    ], color="danger", id=summary_id, className="error-summary")


def refused(exc: ServiceError, summary_id: str = "error-summary", fields: Mapping[str, str | dict] | None = None,
            labels: Mapping[str, str] | None = None) -> dbc.Alert:
    """How a refused save is shown: the summary of what to fix, or the service's message."""
    errors = getattr(exc, "errors", None)
    if errors:
        return error_summary(errors, fields, labels, summary_id)
    return dbc.Alert(str(exc), color="danger", id=summary_id, className="error-summary")


def field_outputs(component_ids: Iterable[str | dict], error_suffix: str = "feedback") -> list[Output]:
    """A callback's outputs for its fields: each control's `invalid`, then each error slot's text."""
    ids = list(component_ids)
    return [Output(i, "invalid") for i in ids] + [Output(suffixed(i, error_suffix), "children") for i in ids]


def field_values(fields: Iterable[str], errors: Mapping[str, str]) -> list:
    """The values for `field_outputs`, by field name: a flag for each field, then its message."""
    names = list(fields)
    return [name in errors for name in names] + [errors.get(name, "") for name in names]


def to_int(value) -> int | None:
    """A whole number from the browser (a select's value, a Store's data, a part of the path), or None
    when it is not one: every such value is controlled by the client."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if fits_integer_column(number) else None  # a bigger one overflows the database's column


def ticked_states(kind: str, key: str = "index") -> list[State]:
    """The ids and the values of the checkboxes {"type": kind, key: <record id>}, for `ticked_ids`."""
    pattern = {"type": kind, key: ALL}
    return [State(pattern, "id"), State(pattern, "value")]


def ticked_ids(ids, values, key: str = "index") -> list[int]:
    """The record ids of the ticked boxes. The browser sends the ids and the values: a box that is not
    plainly ticked, or whose id holds anything but a record id, is left out."""
    return [i[key] for i, value in zip(ids or [], values or [], strict=False)
            if value is True and isinstance(i, dict) and is_record_id(i.get(key))]


def bumped(count) -> int:
    """The next value of a refresh Store (its page redraws what listens to it), whatever it held."""
    return (to_int(count) or 0) + 1


def record_id(value, what: str) -> int:
    """The id of a record from the path; NotFound ("There is no theme x.") when it is not a number."""
    number = to_int(value)
    if number is None:
        raise NotFound(f"There is no {what} {value}.")
    return number


def file_upload(upload_id: str, label: str, hint: str, accept: str) -> html.Label:
    """A file upload that works from the keyboard: the label opens the chooser (Tab to it, then Enter
    or Space), or a file is dropped on it."""
    return html.Label([
        html.Span(label, className="fw-semibold d-block mb-1"),
        dcc.Upload(
            id=upload_id,
            children=html.Div([
                html.Span("Choose a file", className="btn btn-outline-primary btn-sm me-2", **{"aria-hidden": "true"}),
                html.Span(hint, className="small"),
            ], className="p-2"),
            accept=accept,
            multiple=False,
            disable_click=True,  # the label opens the file chooser: one dialog, from mouse or keyboard
            className="upload-zone",
            style={"border": "2px dashed #505a5f", "borderRadius": "0.25rem", "background": "#ffffff"},
        ),
    ], className="d-block upload-label mb-2", id=f"{upload_id}-label")


def decode_upload(contents) -> bytes | None:
    """The file's bytes from dcc.Upload's data URL ("data:...;base64,..."); None when it is not one."""
    if not contents or not isinstance(contents, str) or "," not in contents:
        return None
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return None
