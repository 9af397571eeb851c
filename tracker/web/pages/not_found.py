import dash
from dash import html

dash.register_page(__name__, path="/404", title="Page not found – CDP Delivery Tracker")


def layout(**_):
    return html.Div([
        html.H1("Page not found"),
        html.P(["Check the address, or go back to the ", html.A("overview", href=dash.get_relative_path("/")), "."]),
    ])
