"""The signatures-per-day chart: round, evenly spaced y-axis labels that match their lines."""

import re
from datetime import date, timedelta

import pytest

from petition.maps.charts import axis_ticks, daily_bars
from petition.petitions.dashboard import DailyCount


@pytest.mark.parametrize(("peak", "ticks"), [
    (0, [0, 1]), (3, [0, 1, 2, 3]), (5, [0, 2, 4, 6]), (7, [0, 2, 4, 6, 8]),
    (37, [0, 10, 20, 30, 40]), (1234, [0, 500, 1000, 1500]),
])
def test_axis_ticks_are_round_and_cover_the_peak(peak, ticks):
    assert axis_ticks(peak) == ticks


def test_labels_sit_on_evenly_spaced_lines_and_bars_match_them(app):
    start = date(2026, 11, 1)
    series = [DailyCount(start + timedelta(days=i), confirmed=c, pending=0)
              for i, c in enumerate([1, 5, 2])]
    with app.test_request_context():
        svg = str(daily_bars(series))
    labels = [(float(y), int(text.replace(",", ""))) for y, text in
              re.findall(r'<text class="chart-label" x="[\d.]+" y="([\d.]+)" '
                         r'text-anchor="end">([\d,]+)</text>', svg)]
    assert [value for _, value in labels] == [0, 2, 4, 6]
    gaps = {round(a[0] - b[0], 1) for a, b in zip(labels, labels[1:], strict=False)}
    assert len(gaps) == 1  # evenly spaced
    zero_y, six_y = labels[0][0], labels[-1][0]
    heights = [float(h) for h in re.findall(r'class="chart-confirmed"[^>]*height="([\d.]+)"', svg)]
    assert heights and max(heights) == pytest.approx((zero_y - six_y) * 5 / 6, abs=0.2)
