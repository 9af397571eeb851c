"""The pages, each registered with dash.register_page."""
