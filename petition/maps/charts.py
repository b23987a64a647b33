"""Charts drawn on the server as inline SVG: no JavaScript, no external requests, no style
attributes (colours come from classes in site.css)."""

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from petition.maps.district_maps import district_maps
from petition.maps.ward_maps import city_map
from petition.models import WARD_NUMBERS
from petition.models.legislator import HOUSE
from petition.web.templating import localized, number

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


MAX_AXIS_STEPS = 4  # grid lines above zero on the y axis, at most


def _nice_step(value):
    """The smallest round number at or above value: 1, 2, 5, 10, 20, 50..."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def axis_ticks(peak):
    """Evenly spaced round y-axis values from 0 up to peak or just above: 0, 2, 4, 6, 8."""
    step = _nice_step(max(peak, 1) / MAX_AXIS_STEPS)
    steps = max(1, -(-peak // step))  # ceiling
    return [step * i for i in range(steps + 1)]


def daily_bars(series):
    """Stacked bars of confirmed and pending signatures per day; None when there are none."""
    if not series:
        return None
    ticks = axis_ticks(max(d.confirmed + d.pending for d in series))
    peak = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(series)
    bar = max(slot * 0.8, 0.5)
    total = sum(d.confirmed + d.pending for d in series)
    title = _("Signatures per day")
    desc = ngettext("%(num)d signature over %(days)d day", "%(num)d signatures over %(days)d days",
                    total, days=len(series))
    parts = [
        f'<svg class="chart chart-daily" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="daily-title daily-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="daily-title">{escape(title)}</title>',
        f'<desc id="daily-desc">{escape(desc)}</desc>',
    ]
    for value in ticks:
        y = TOP + plot_h - plot_h * value / peak
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-label" x="{LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{number(value)}</text>')
    label_every = max(1, round(len(series) / 7))
    for i, day in enumerate(series):
        x = LEFT + i * slot + (slot - bar) / 2
        confirmed_h = plot_h * day.confirmed / peak
        pending_h = plot_h * day.pending / peak
        base = TOP + plot_h
        tip = _("%(day)s: %(confirmed)d confirmed, %(pending)d pending",
                day=format_date(day.day, "medium"), confirmed=day.confirmed,
                pending=day.pending)
        parts.append(f"<g><title>{escape(tip)}</title>")
        if day.confirmed:
            parts.append(f'<rect class="chart-confirmed" x="{x:.2f}" '
                         f'y="{base - confirmed_h:.2f}" width="{bar:.2f}" '
                         f'height="{confirmed_h:.2f}"/>')
        if day.pending:
            parts.append(f'<rect class="chart-pending" x="{x:.2f}" '
                         f'y="{base - confirmed_h - pending_h:.2f}" width="{bar:.2f}" '
                         f'height="{pending_h:.2f}"/>')
        parts.append("</g>")
        if i % label_every == 0 or i == len(series) - 1 and len(series) < 8:
            parts.append(f'<text class="chart-label" x="{x + bar / 2:.1f}" '
                         f'y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                         f'{escape(format_date(day.day, "MMM d"))}</text>')
    parts.append(f'<line class="chart-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                 f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


# A sequential blue scale (ColorBrewer "Blues", colour-blind safe) for signatures per ward;
# wards with none stay light grey.
CHOROPLETH_FILLS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ZERO_FILL = "#f2f2f2"


def choropleth_classes(counts):
    """Upper bounds of the colour classes: five equal steps up to the largest count."""
    peak = max(counts.values(), default=0)
    if peak <= 0:
        return []
    steps = len(CHOROPLETH_FILLS)
    bounds = []
    for i in range(1, steps + 1):
        bound = max(1, -(-peak * i // steps))  # ceiling
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _fill(value, bounds):
    if value <= 0 or not bounds:
        return ZERO_FILL
    for i, bound in enumerate(bounds):
        if value <= bound:
            return CHOROPLETH_FILLS[i + len(CHOROPLETH_FILLS) - len(bounds)]
    return CHOROPLETH_FILLS[-1]


def _legend(bounds, title, id="map-legend"):
    """A small SVG key: a swatch and a range per colour class."""
    rows = [(ZERO_FILL, "0")]
    low = 1
    offset = len(CHOROPLETH_FILLS) - len(bounds)
    for i, bound in enumerate(bounds):
        label = number(low) if low == bound else f"{number(low)}–{number(bound)}"
        rows.append((CHOROPLETH_FILLS[i + offset], label))
        low = bound + 1
    height = 20 * len(rows)
    parts = [f'<svg class="map-legend" viewBox="0 0 160 {height}" width="160" '
             f'height="{height}" role="img" aria-labelledby="{id}-title" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{id}-title">{escape(title)}</title>']
    for i, (colour, label) in enumerate(rows):
        y = i * 20
        parts.append(f'<rect x="0" y="{y + 3}" width="24" height="14" fill="{colour}" '
                     f'stroke="#999999" stroke-width="1"/>')
        parts.append(f'<text class="chart-label" x="32" y="{y + 14}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def ward_map(petition, counts, *, public=False):
    """A choropleth of the 50 wards by confirmed signatures, drawn on the server
    (petition.geo.svg via petition.maps), with its key; each ward links to its row in the
    table on the same page."""
    counts = {int(n): int(v) for n, v in counts.items()}
    bounds = choropleth_classes(counts)
    fills = {n: _fill(counts.get(n, 0), bounds) for n in WARD_NUMBERS}
    titles = {n: ngettext("Ward %(ward)d: %(num)d confirmed signature",
                          "Ward %(ward)d: %(num)d confirmed signatures",
                          counts.get(n, 0), ward=n) for n in WARD_NUMBERS}
    links = {n: f"#ward-{n}" for n in WARD_NUMBERS}
    svg = city_map(fills=fills, titles=titles, links=links,
                   id="signatures-map" if public else "dashboard-map",
                   title=_("Confirmed signatures by ward: %(title)s",
                           title=localized(petition, "title")))
    legend = _legend(bounds, _("Key: signatures per ward"))
    return Markup(f'<div class="choropleth"><div class="choropleth-map">{svg}</div>'
                  f'{legend}</div>')


def district_map(petition, chamber, counts, *, rows=None, id=None):
    """A choropleth of one chamber's districts inside Chicago by confirmed signatures, like
    `ward_map`; each district links to its row in the table on the same page (only those
    in `rows` when the table lists some districts only)."""
    counts = {int(n): int(v) for n, v in counts.items()}
    renderer = district_maps(chamber)
    numbers = renderer.numbers()
    bounds = choropleth_classes(counts)
    house = chamber == HOUSE
    titles = {n: (ngettext("House district %(district)d: %(num)d confirmed signature",
                           "House district %(district)d: %(num)d confirmed signatures",
                           counts.get(n, 0), district=n) if house else
                  ngettext("Senate district %(district)d: %(num)d confirmed signature",
                           "Senate district %(district)d: %(num)d confirmed signatures",
                           counts.get(n, 0), district=n)) for n in numbers}
    title = (_("Confirmed signatures by Illinois House district: %(title)s",
               title=localized(petition, "title")) if house else
             _("Confirmed signatures by Illinois Senate district: %(title)s",
               title=localized(petition, "title")))
    svg = renderer.city(id=id or f"{chamber}-map", title=title, titles=titles,
                        fills={n: _fill(counts.get(n, 0), bounds) for n in numbers},
                        links={n: f"#{chamber}-{n}" for n in numbers
                               if rows is None or n in rows})
    key = (_("Key: signatures per House district") if house
           else _("Key: signatures per Senate district"))
    return Markup(f'<div class="choropleth"><div class="choropleth-map">{svg}</div>'
                  f'{_legend(bounds, key, f"{chamber}-legend")}</div>')
