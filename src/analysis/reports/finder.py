"""The place finder (reports/places.html): is my county (my city) on these lists, and how
does it compare?

A reader types a county's or a city's name; the page shows its status under every
definition with the list row that put it there, its outcomes year by year against its
state and the nation (a Vega-Lite chart), and, for a county, its match in the 2017 CAP
report's design. The data (analysis.publish.lookup.profiles) are embedded gzip-compressed and
base64-encoded, which keeps the page under 3 MB and leaves nothing in it that a browser
could read as markup; the page puts every name and list row into the document as text,
never as HTML. Like the explorer, it inlines the Vega JavaScript through vl-convert, so
it opens offline and makes no request.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from pathlib import Path

from ..core import paths
from ..core.atomic import write_text
from ..publish.lookup import profiles
from ..publish.reporting import script_json
from .config import template_dir

# Series in the chart, in the legend's order, with their colours.
SERIES = {"this place": "#1f2328", "its state": "#1b6ca8", "the nation": "#9a9a9a"}


def finder_path() -> Path:
    return paths.reports_dir() / "places.html"


def chart_spec() -> dict:
    """The Vega-Lite chart of one place: an outcome per panel, the place, its state and
    the nation by year; the page fills the dataset "profile" with the chosen place."""
    import altair as alt

    line = (
        alt.Chart(alt.Data(name="profile"))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(SERIES), range=list(SERIES.values())),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["series:N", "year:O", alt.Tooltip("value:Q", format=",.1f"), "unit:N"],
        )
        .properties(width=330, height=170)
    )
    return (
        line.facet(
            facet=alt.Facet("panel:N", title=None, sort=alt.EncodingSortField("order", op="min")),
            columns=2,
        )
        .resolve_scale(y="independent")
        .configure_view(stroke=None)
        .configure_header(labelFontSize=13, labelFontWeight="bold", labelAnchor="start")
        .to_dict()
    )


def packed(data: dict) -> str:
    """The data as base64 of gzip'd JSON (no timestamp: the same data, the same page)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.b64encode(gzip.compress(text, compresslevel=9, mtime=0)).decode("ascii")


def build_finder(data: dict | None = None) -> Path:
    """Write reports/places.html from analysis.publish.lookup.profiles()."""
    import vl_convert as vlc

    data = profiles() if data is None else data
    page = PAGE.format(
        css=(template_dir() / "report" / "site.css").read_text(),
        bundle=vlc.javascript_bundle(),
        spec=script_json(chart_spec()),
        data=packed(data),
        n_counties=f"{sum(p['unit'] == 'county' for p in data['places']):,}",
        n_cities=f"{sum(p['unit'] == 'city' for p in data['places']):,}",
        city_years="{}-{}".format(*(lambda y: (min(y), max(y)))(data["units"]["city"]["years"])),
        cap=html.escape(
            f"{data['cap']['definition']}, {data['cap']['year']}; nearest neighbour on "
            f"{data['cap']['covariates']}"
        ),
        script=SCRIPT,
    )
    write_text(finder_path(), page)
    return finder_path()


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Find a county or a city: is it on the sanctuary lists, and how does it compare?</title>
<style>{css}
.finder-search {{ display: flex; gap: .6rem; align-items: center; margin: 1rem 0; }}
.finder-search input {{ font-size: 1.05rem; padding: .45rem .6rem; width: min(28rem, 100%); }}
#matches {{ display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 1rem; padding: 0; }}
#matches li {{ list-style: none; }}
#matches button {{ font: inherit; padding: .25rem .6rem; border: 1px solid #c9d1d9;
  background: #f6f8fa; border-radius: 4px; cursor: pointer; }}
#matches button[aria-pressed="true"] {{ background: #1b6ca8; color: white; }}
.standing {{ font-size: 1.1rem; font-weight: 600; }}
td.status-sanctuary {{ color: #1b6ca8; font-weight: 600; }}
td.status-cooperating {{ color: #b2182b; font-weight: 600; }}
td.status-none {{ color: #57606a; }}
</style></head>
<body><main class="site">
<p class="crumbs"><a href="index.html">All reports</a></p>
<h1>Find a county or a city</h1>
<p class="lede">Type the name of a county ({n_counties}, on 2015 boundaries) or a city
({n_cities}, those in the FBI's city table {city_years}). The page shows whether each public
list marks it, with the list row that did; its outcomes year by year beside its state's
(the FBI's state estimates of crime, the state rows of LAUS and SAIPE) and the nation's
(the states', weighted by population); and, for a county, its match in the 2017 CAP
report's design ({cap}). Each place has its own address (this page's, with the place's
code after #, such as #41051 for Multnomah County): copy it to share or bookmark the place.
The arrow keys move through the matches; Enter chooses one.</p>
<div class="finder-search"><label for="place-search"><strong>County or city</strong></label>
<input id="place-search" type="search" placeholder="e.g. Multnomah, or Chicago"
 autocomplete="off" aria-describedby="match-count"></div>
<p id="match-count" class="meta" aria-live="polite">Loading the data…</p>
<ul id="matches"></ul>
<section id="profile" hidden>
<h2 id="place-name"></h2>
<p class="standing" id="standing"></p>
<div class="report-table-block"><table class="report-table" id="statuses">
<thead><tr><th>List</th><th>Status</th><th>The list row that put it there</th></tr></thead>
<tbody></tbody></table></div>
<p id="match"></p>
<div id="chart"></div>
<p class="meta"><a id="download" download>This place's figures (CSV)</a> · Sources: Census
SAIPE (poverty, income), BLS LAUS (unemployment), FBI UCR (crime); each report lists its
files. A state's line is the state's own figure (the FBI's state estimates for crime);
the nation's weighs the states by population.</p>
</section>
<script>{bundle}</script>
<script type="application/json" id="chart-spec">{spec}</script>
<script type="text/plain" id="finder-data">{data}</script>
<script>{script}</script>
</main></body></html>
"""

# Every name and list row goes into the page through textContent: text, never markup.
SCRIPT = r"""
"use strict";
const SPEC = JSON.parse(document.getElementById("chart-spec").textContent);
const input = document.getElementById("place-search");
const count = document.getElementById("match-count");
const list = document.getElementById("matches");
let DATA = null;

async function load() {
  const text = document.getElementById("finder-data").textContent.trim();
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function label(place) {
  return place.name + ", " + place.state + " (" + place.unit + ")";
}

// A name as a reader may type it: no accents (Doña Ana, Dona Ana), "Saint" and "St." alike
// (St. Louis, Saint Louis), no punctuation.
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[.,'’]/g, "").replace(/\bsaint\b/g, "st").replace(/\bsainte\b/g, "ste")
    .replace(/\s+/g, " ").trim();
}

function search(query) {
  const q = fold(query);
  if (q.length < 2) return [];
  const hits = DATA.places.filter((p) => fold(label(p)).includes(q));
  // The name itself first, then names that start so, then the rest; counties first.
  const rank = (p) => {
    const name = fold(p.name);
    const tier = name === q ? 0 : name.startsWith(q) ? 1 : 2;
    return 2 * tier + (p.unit === "county" ? 0 : 1);
  };
  return hits.sort((a, b) => rank(a) - rank(b) || label(a).localeCompare(label(b)));
}

function showMatches() {
  const found = search(input.value);
  list.replaceChildren();
  if (!input.value.trim()) { count.textContent = "Type at least two letters."; return; }
  const many = " places match; the first is shown.";
  count.textContent = found.length
    ? found.length.toLocaleString("en-US") + (found.length === 1 ? " place matches." : many)
    : "No county or city of that name in the data.";
  found.slice(0, 15).forEach((place, i) => {
    const button = element("button", label(place));
    button.type = "button";
    button.addEventListener("click", () => show(place, button));
    const item = element("li"); item.append(button); list.append(item);
    if (i === 0) show(place, button);
  });
  if (!found.length) document.getElementById("profile").hidden = true;
}

// The keyboard alone: the down arrow from the box to the matches, the arrows along them,
// Enter (a button's own) to choose, Escape back to the box.
function moveAmongMatches(event) {
  const buttons = [...list.querySelectorAll("button")];
  const at = buttons.indexOf(document.activeElement);
  let next = null;
  if (event.key === "ArrowDown" || event.key === "ArrowRight") next = at + 1;
  if (event.key === "ArrowUp" || event.key === "ArrowLeft") next = at - 1;
  if (event.key === "Escape") { input.focus(); return; }
  if (next === null || !buttons.length) return;
  event.preventDefault();
  if (next < 0) { input.focus(); return; }
  buttons[Math.min(next, buttons.length - 1)].focus();
}

// Each place has its own address, places.html#<code>: a county's FIPS code, a city's
// place code. Opening it shows the place; choosing a place sets it.
function showAddressed() {
  const code = decodeURIComponent(location.hash.slice(1));
  const place = code && DATA.places.find((p) => p.code === code);
  if (!place) return false;
  input.value = place.name + ", " + place.state;
  list.replaceChildren();
  const button = element("button", label(place));
  button.type = "button";
  button.addEventListener("click", () => show(place, button));
  const item = element("li"); item.append(button); list.append(item);
  count.textContent = "The place at this address.";
  show(place, button);
  return true;
}

function byCode(unit, code) {
  return DATA.places.find((p) => p.unit === unit && p.code === code);
}

function standing(place) {
  const marks = (place.status || []).map((s, i) => [s, DATA.definitions[i]]).filter(([s]) => s);
  if (!marks.length) return "On no list: no public definition marks this " + place.unit + ".";
  const kinds = (kind) => marks.filter(([s]) => s[0] === kind).map(([, d]) => d.label);
  const parts = [];
  const sanctuary = kinds("sanctuary"), cooperating = kinds("cooperating");
  if (sanctuary.length) parts.push("Sanctuary under " + sanctuary.join(", "));
  const says = parts.length ? "cooperating" : "Cooperating";
  if (cooperating.length) parts.push(says + " (287(g)) under " + cooperating.join(", "));
  return parts.join("; ") + ".";
}

function matchLine(place) {
  if (place.unit !== "county") {
    const county = place.county && byCode("county", place.county);
    return county ? "Its county: " + county.name + ", " + county.state + "." : "";
  }
  const name = (code) => {
    const c = byCode("county", code);
    return c ? c.name + ", " + c.state : code;
  };
  const cap = DATA.cap;
  const design = "In the 2017 CAP report's design (" + cap.definition + ", " + cap.year + "; "
    + cap.covariates + "): ";
  if (place.matched_to) return design + "matched to " + name(place.matched_to) + ".";
  if (place.match_for.length) {
    return design + "the match for " + place.match_for.map(name).join("; ") + ".";
  }
  return design + "neither listed nor any listed county's match.";
}

function rows(place) {
  const unit = DATA.units[place.unit];
  const ref = unit.reference;
  const state = ref.states[place.state] || {};
  const out = [];
  unit.outcomes.forEach((o, order) => {
    const panel = o.label + " (" + o.unit + ")";
    const series = [
      ["this place", place.values[o.id]],
      ["its state", state[o.id]],
      ["the nation", ref.nation[o.id]],
    ];
    series.forEach(([name, values]) => (values || []).forEach((v, i) => {
      if (v === null) return;
      out.push({panel, order, unit: o.unit, series: name, year: unit.years[i], value: v});
    }));
  });
  return out;
}

function csv(place, data) {
  // Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) gets a
  // leading ' (OWASP, CSV injection); numbers stay numbers.
  const cell = (v) => typeof v === "number" ? String(v)
    : '"' + (/^[=+\-@\t\r]/.test(String(v)) ? "'" : "") + String(v).replace(/"/g, '""') + '"';
  const lines = ["place,state,series,outcome,year,value"];
  data.forEach((r) => {
    const cells = [place.name, place.state, r.series, r.panel, r.year, r.value];
    lines.push(cells.map(cell).join(","));
  });
  return URL.createObjectURL(new Blob([lines.join("\n") + "\n"], {type: "text/csv"}));
}

function show(place, button) {
  list.querySelectorAll("button").forEach((b) => {
    b.setAttribute("aria-pressed", String(b === button));
  });
  document.getElementById("profile").hidden = false;
  document.getElementById("place-name").textContent = label(place);
  if (location.hash.slice(1) !== place.code) history.replaceState(null, "", "#" + place.code);
  document.getElementById("standing").textContent = standing(place);
  const body = document.querySelector("#statuses tbody");
  body.replaceChildren();
  DATA.definitions.forEach((d, i) => {
    const s = (place.status || [])[i];
    const tr = element("tr");
    const status = s ? s[0] : "not listed";
    const kind = "status-" + (s ? s[0] : "none");
    tr.append(element("td", d.label), element("td", status, kind), element("td", s ? s[1] : ""));
    tr.title = d.title;
    body.append(tr);
  });
  document.getElementById("match").textContent = matchLine(place);
  const data = rows(place);
  const link = document.getElementById("download");
  link.href = csv(place, data);
  link.download = (place.name + "-" + place.state).replace(/[^A-Za-z0-9-]+/g, "-") + ".csv";
  const spec = Object.assign({}, SPEC, {datasets: {profile: data}});
  vegaEmbed("#chart", spec, {renderer: "svg", actions: false});
}

load().then((data) => {
  DATA = data;
  count.textContent = "Type at least two letters.";
  input.addEventListener("input", showMatches);
  input.addEventListener("keydown", (e) => { if (e.key === "ArrowDown") moveAmongMatches(e); });
  list.addEventListener("keydown", moveAmongMatches);
  window.addEventListener("hashchange", showAddressed);
  if (!showAddressed() && input.value) showMatches();
}).catch(() => {
  count.textContent = "This browser cannot open the page's data (it needs "
    + "DecompressionStream): use a recent browser.";
});
"""
