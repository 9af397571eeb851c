import dash
from dash import html

dash.register_page(__name__, path_template="/action/<action_id>", title="CDP Delivery Tracker")


def layout(action_id=None, **_):
    return html.H1("action")
