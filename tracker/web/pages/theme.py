import dash
from dash import html

dash.register_page(__name__, path_template="/theme/<theme_id>", title="CDP Delivery Tracker")


def layout(theme_id=None, **_):
    return html.H1("theme")
