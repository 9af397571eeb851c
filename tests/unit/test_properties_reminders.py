"""Bad input to sending reminders (hypothesis, as test_properties): any run settings from any role, on
any day, through a real SMTP server on loopback. Either a clear refusal that writes nothing, or a run
whose every recorded reminder reached the server; never an exception."""

from __future__ import annotations

from datetime import date

from hypothesis import event, given
from hypothesis import strategies as st
from sqlmodel import select

from tests.unit.properties_support import PROPS, ROLE, TEXT, field, form, refuses_or_writes, template  # noqa: F401
from tests.unit.test_reminders import mailer, smtp  # noqa: F401 (the fixture)
from tracker.models import ReminderSent
from tracker.services import reminders

BASE_URLS = st.sampled_from(["https://intranet.example.gov.uk/cdp/", "http://localhost:8050/", "ftp://x/",
                             "https://", "https://a b/", "https://x/\x00", "https://" + "x" * 600])
# The days around the seed's board meetings (the server's own clock, never typed by anyone).
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@PROPS
@given(data=st.data())
def test_send_reminders(template, smtp, data):  # noqa: F811
    body = data.draw(form({"base_url": field(st.one_of(BASE_URLS, TEXT))},
                          {"dry_run": field(st.booleans())}))
    today = data.draw(DAYS)
    runs = []

    def send(s, who, role):
        before = len(s.exec(select(ReminderSent)).all())
        smtp.messages.clear()
        result = reminders.send_reminders(s, who(role), today, body, mailer(smtp))
        recorded = len(s.exec(select(ReminderSent)).all()) - before
        runs.append(result)
        # What the run says it sent is what the server was given and what is recorded against re-sending.
        assert recorded == len(result.sent) == len(smtp.messages)
        assert not (result.dry_run and result.sent)
        assert result.summary().strip()

    outcome = refuses_or_writes(template, send, data.draw(ROLE))
    if outcome == "written":
        assert runs and not runs[0].failed
        outcome = "sent" if runs[0].sent else "dry run" if runs[0].dry_run else "nothing due"
    event(outcome)
