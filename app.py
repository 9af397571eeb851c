"""Start the CDP Delivery Tracker: `python app.py` (development server) or `gunicorn app:server`.

On first start an SQLite database is created under instance/ and seeded with the Northamptonshire
partnership; later starts reuse it. Settings come from TRACKER_* environment variables (README).
"""

from tracker.config import Settings
from tracker.startup import freeze_startup_objects
from tracker.web.app import create_app

settings = Settings.from_env()
app = create_app(settings)
server = app.server  # the WSGI app, for gunicorn
freeze_startup_objects()  # full garbage collections no longer walk the app itself (tracker/startup.py)

if __name__ == "__main__":
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
