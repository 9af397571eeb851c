"""What a reader sees in the maturity charts: the weakest levels stand out, and each dimension's change
over time can be read on its own."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS, person_by_email
from tracker.models import Subgroup
from tracker.rules.contrast import contrast_ratio, relative_luminance
from tracker.services import maturity
from tracker.web.components.maturity import LEVEL_COLOURS, heatmap_table, trend_figure


def test_every_level_colour_keeps_its_number_and_word_legible():
    for level, (background, text) in LEVEL_COLOURS.items():
        assert contrast_ratio(background, text) >= 4.5, level


def test_the_weakest_level_is_the_strongest_colour():
    # Darker, more saturated cells draw the eye: level 1 darkest, each level lighter than the one below.
    luminance = [relative_luminance(LEVEL_COLOURS[level][0]) for level in sorted(LEVEL_COLOURS)]
    assert luminance == sorted(luminance)
    assert len(set(luminance)) == len(luminance)


def _treatment_trend(session: Session):
    lead = person_by_email(session, DEMO_EMAILS["lead"])
    tr = session.exec(select(Subgroup).where(Subgroup.code == "TR")).one()
    return maturity.change_over_time(session, lead.partnership_id, tr.id)


def test_change_over_time_gives_each_dimension_a_chart_of_its_own(session, app):  # app: Dash paths
    trend = _treatment_trend(session)
    figure = trend_figure(trend).children[0].figure
    assert len(figure.data) == len(trend.dimensions) > 1
    # Each line sits on its own axes, titled with its dimension, not all on one chart.
    assert len({trace.xaxis for trace in figure.data}) == len(trend.dimensions)
    titles = [a.text.replace("<br>", " ") for a in figure.layout.annotations]
    assert titles == [name for _, name in trend.dimensions]
    # The level is written at each point, so the chart reads without the colour or the axis.
    first = figure.data[0]
    assert list(first.text) == [str(a.scores.get(trend.dimensions[0][0])) for a in trend.assessments]


def test_heatmap_cells_say_the_level_in_words(session, app):
    lead = person_by_email(session, DEMO_EMAILS["lead"])
    page = maturity.overview_page(session, lead)
    text = str(heatmap_table(page.heatmap))
    for level, name in page.framework.levels.items():
        if any(row.latest and level in row.latest.scores.values() for row in page.heatmap.rows):
            assert name in text
