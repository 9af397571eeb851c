"""A signed-in request reads the person once: the sign-in guard's look-up (active, session not
ended) is the copy the page and its navigation bar use, not a second read of the same row."""

from __future__ import annotations

import re

from sqlmodel import Session

from benchmarks.view_sql import statements_of
from tests.conftest import DEMO_EMAILS, person_by_email
from tests.crafted import node_text, page_json, page_reply, signed_in_client

PERSON_BY_ID = re.compile(r"FROM person\s+WHERE person\.id = ", re.IGNORECASE)


def test_a_page_reads_the_signed_in_person_once(app, db):
    client = signed_in_client(app, DEMO_EMAILS["lead"])
    pages = []
    statements = statements_of(db, lambda: pages.append(page_json(client, "/my-actions")))
    reads = [s for s, _ in statements if PERSON_BY_ID.search(s)]
    assert len(reads) == 1, reads
    # The page is the lead's own: their actions, found through the guard's copy of them.
    text = node_text(pages[0]["response"]["_pages_content"]["children"])
    assert re.search(r"Your actions \([1-9]\d*\)", text), text[:300]


def test_a_person_deactivated_after_one_request_is_refused_the_next(app, db):
    # The copy is kept for one request only: the next request's guard reads the person again.
    client = signed_in_client(app, DEMO_EMAILS["lead"])
    page_json(client, "/my-actions")
    with Session(db) as s:
        person = person_by_email(s, DEMO_EMAILS["lead"])
        person.is_active = False
        s.add(person)
        s.commit()
    assert page_reply(client, "/my-actions").status == 401
