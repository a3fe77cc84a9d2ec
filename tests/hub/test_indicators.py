import datetime as dt

import pytest
from wagtail import hooks

from hub.charts import bar_chart
from hub.indicators import INDICATORS_HOOK, Figure, Period, Scope, Section, sections


def test_a_quarter_covers_its_three_months_and_knows_the_one_before():
    q1 = Period.quarter(2026, 1)
    assert (q1.start, q1.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    q4 = Period.quarter(2026, 4)
    assert q4.end == dt.date(2026, 12, 31)
    assert Period.quarter(9999, 4).end == dt.date(9999, 12, 31)
    assert q1.previous_quarter() == Period.quarter(2025, 4)
    assert Period.current_quarter(dt.date(2026, 8, 15)) == Period.quarter(2026, 3)
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)


@pytest.mark.django_db  # the apps' own providers run too, and they read the database
def test_sections_come_from_every_provider_in_their_order():
    scope = Scope(Period.quarter(2026, 3), institution_id=7)

    def second(s):
        return Section("b", "B", [Figure("x", s.institution_id)], order=2)

    def first(_s):
        return Section("a", "A", order=1)

    def silent(_s):
        return None

    with hooks.register_temporarily(INDICATORS_HOOK, second), \
            hooks.register_temporarily(INDICATORS_HOOK, silent), \
            hooks.register_temporarily(INDICATORS_HOOK, first):
        found = [s for s in sections(scope) if s.key in {"a", "b"}]
    assert [s.key for s in found] == ["a", "b"]
    assert found[1].figures[0].value == 7


def test_bars_are_proportional_and_missing_values_draw_no_bar():
    chart = bar_chart([("Norte", 10), ("Sur", 5), ("Centro", None)], width=460, label_width=200)
    lengths = [b["length"] for b in chart["bars"]]
    assert lengths[0] == 2 * lengths[1] > 0
    assert lengths[2] == 0 and chart["bars"][2]["value"] is None
