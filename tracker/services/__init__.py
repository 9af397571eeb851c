"""Domain services: every query and every change the app makes. No Dash import here.

Each write takes the acting Person, validates its input (tracker.schemas), checks permission
(tracker.services.permissions), records an AuditEvent in the same transaction, and raises one of
the errors in tracker.services.errors with a message that says what to fix.
"""
