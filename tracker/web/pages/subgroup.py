import dash
from dash import html

dash.register_page(__name__, path_template="/subgroup/<subgroup_id>", title="CDP Delivery Tracker")


def layout(subgroup_id=None, **_):
    return html.H1("subgroup")
