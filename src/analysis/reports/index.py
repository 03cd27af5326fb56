"""The index page: every report with its finding, the optional sources the
build had, and the sources."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from .. import sources
from ..core.atomic import write_text
from ..panels import availability
from ..publish import labels
from ..publish.layout import dictionary_path, index_path, meta_path, tables_dir
from ..publish.reporting import safe_url, spreadsheet_safe
from ..sources.provenance import describe, record
from .config import load_config, template_dir
from .parameters import notebook_parameters

GLANCE = "overview"  # the report whose figure opens the index


def build_index(config: Path | None = None) -> Path:
    specs = load_config(config)
    rows = []
    glance = ""
    for spec in specs:
        meta = json.loads(meta_path(spec.name).read_text()) if meta_path(spec.name).exists() else {}
        if spec.name == GLANCE:
            glance = _glance(spec, meta)
            continue
        params = labels.parameter_line({**notebook_parameters(spec.notebook), **spec.parameters})
        tables = " ".join(
            f'<a href="{_href("tables", spec.name, f"{t}.csv")}">{html.escape(t)}.csv</a>'
            for t in meta.get("tables", [])
        )
        notices = meta.get("notices", [])
        missing = (
            f'<p class="meta">{len(notices)} part{"s" if len(notices) > 1 else ""} of this '
            f"report need{'' if len(notices) > 1 else 's'} data this build does not have "
            "(the page says which).</p>"
            if notices
            else ""
        )
        rows.append(
            f"<li>{_thumbnail(spec, meta)}<div>"
            f'<h3><a href="{_href("html", f"{spec.name}.html")}">'
            f"{html.escape(spec.title or spec.name)}</a></h3>"
            f'<p class="finding">{html.escape(meta.get("finding", ""))}</p>'
            f'<p class="meta">{html.escape(params)}{" · " if params else ""}built '
            f"{html.escape(meta.get('built_at', '')[:10])}</p>"
            + (f'<p class="meta">Tables: {tables}</p>' if tables else "")
            + missing
            + "</div></li>"
        )
    cited = [s for s in sources.registry().values()]
    source_rows = "".join(
        f"<tr><td>{html.escape(s.title)}</td><td>{html.escape(s.producer)}</td>"
        f"<td>{html.escape(s.years)}</td><td>{html.escape(s.licence)}</td></tr>"
        for s in cited
    )
    built = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    absent = availability.absent_crime_years()
    summary = (
        f'<p class="notice-missing">This build has no crime for '
        f"{availability.listed([str(y) for y in absent])}: those years come from optional "
        "ICPSR files "
        '(see <a href="#optional-sources">Optional sources</a> below).</p>'
        if absent
        else ""
    )
    write_text(dictionary_path(), spreadsheet_safe(labels.data_dictionary()).to_csv(index=False))
    page = INDEX_TEMPLATE.format(
        glance=glance,
        reports="\n".join(rows),
        sources=source_rows,
        built=built,
        provenance=html.escape(describe(record())),
        optional=_optional_rows(),
        absent=summary,
        css=(template_dir() / "report" / "site.css").read_text(),
    )
    target = index_path()
    write_text(target, page)
    return target


def _href(*parts: str) -> str:
    """A relative link to a site file, quoted and escaped for an attribute: report names
    come from reports/reports.yml."""
    from urllib.parse import quote

    return html.escape("/".join(quote(p) for p in parts))


def _key_figure(name: str, meta: dict) -> tuple[str, str] | None:
    """(link to the report's first figure, its alt text), if it has one."""
    figures = meta.get("figures", [])
    if not figures:
        return None
    alt = meta.get("figure_alt", {}).get(figures[0], figures[0].replace("-", " "))
    return _href("figures", name, f"{figures[0]}.png"), alt


def _thumbnail(spec, meta: dict) -> str:
    figure = _key_figure(spec.name, meta)
    if figure is None:
        return '<span class="thumb"></span>'
    # Not loading="lazy": the thumbnails are local files, and a lazy one below the fold is
    # not loaded when the page is saved or printed (nor when the site test looks at it).
    return (
        f'<a class="thumb" href="{_href("html", f"{spec.name}.html")}"><img src="{figure[0]}" '
        f'alt="{html.escape(figure[1])}"></a>'
    )


def _glance_table(name: str, tables: list[str]) -> str:
    """The at-a-glance table, one row per definition and a column per outcome:
    'estimate (low to high)', or the published figure."""
    import pandas as pd

    if not tables or not (tables_dir(name) / f"{tables[0]}.csv").exists():
        return ""
    rows = pd.read_csv(tables_dir(name) / f"{tables[0]}.csv")

    def cell(r) -> str:
        if pd.notna(r["estimate"]):
            return f"{r['estimate']:+,.1f} ({r['ci_low']:+,.1f} to {r['ci_high']:+,.1f})"
        return f"{r['published_estimate']:+,.1f} (published)"

    key = "label" if "label" in rows else "definition"  # label: definition, unit and year
    grid = rows.assign(cell=rows.apply(cell, axis=1)).pivot(
        index=key, columns="outcome", values="cell"
    )
    grid = grid.reindex(
        index=list(dict.fromkeys(rows[key])), columns=list(dict.fromkeys(rows["outcome"]))
    ).fillna("")
    head = "".join(f"<th>{html.escape(labels.variable(c))}</th>" for c in grid.columns)
    body = "".join(
        f"<tr><td>{html.escape(d)}</td>"
        + "".join(f'<td class="num">{html.escape(str(v))}</td>' for v in row)
        + "</tr>"
        for d, row in zip(grid.index, grid.to_numpy())
    )
    return (
        '<div class="report-table-block" tabindex="0"><table class="report-table"><thead><tr>'
        "<th>Definition</th>" + head + f"</tr></thead><tbody>{body}</tbody></table>"
        '<p class="meta">Sanctuary minus matched counties (or cities), with the 95 % interval; '
        "blank: no source gives the outcome for that unit or year.</p></div>"
    )


def _glance(spec, meta: dict) -> str:
    """The index's opening: the at-a-glance report's figure, finding and table."""
    figure = _key_figure(spec.name, meta)
    page = _href("html", f"{spec.name}.html")
    tables = " · ".join(
        f'<a href="{_href("tables", spec.name, f"{t}.csv")}">table (CSV)</a>'
        for t in meta.get("tables", [])
    )
    image = (
        f'<a href="{page}"><img src="{figure[0]}" alt="{html.escape(figure[1])}"></a>'
        if figure
        else ""
    )
    return (
        f'<section class="glance"><h2>{html.escape(spec.title)}</h2>{image}'
        f'<p class="finding">{html.escape(meta.get("finding", ""))}</p>'
        + _glance_table(spec.name, meta.get("tables", [])[:1])
        + f'<p class="meta">{tables} · <a href="{page}">how it is computed</a> · '
        '<a href="explore.html">explore every specification</a> · '
        '<a href="places.html">find a county or a city</a></p></section>'
    )


def _optional_rows() -> str:
    """The optional sources and whether this build had them, as table rows."""
    rows = []
    for status in availability.optional_status():
        source = sources.registry()[status["source"]]
        # Only an http(s) address becomes a link; anything else is shown as text.
        url = safe_url(source.landing_page)
        where = (
            f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
            if url
            else html.escape(str(source.landing_page))
        )
        state = (
            "in this build"
            if status["present"]
            else f"not in this build: download it from {where} and save it as "
            f"<code>{html.escape(status['path'])}</code>"
        )
        rows.append(
            f"<tr><td>{html.escape(source.title)}</td><td>{html.escape(source.years)}</td>"
            f'<td class="{"present" if status["present"] else "absent"}">{state}</td></tr>'
        )
    return "".join(rows)


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sanctuary counties and cities: reports</title>
<style>{css}</style></head>
<body><main class="site">
<h1>Sanctuary counties and cities: crime, poverty and unemployment</h1>
<p class="lede">Do counties and cities that limit cooperation with federal immigration
enforcement differ from the others? Each report below answers for one definition of
"sanctuary", one unit, one year or one method, from public data; read them together to see how
much the answer depends on those choices. A difference between groups of places is not, by
itself, an effect of the policy. To look up one county or city, use the
<a href="places.html">place finder</a>.</p>
<p class="meta">Built {built}.</p>
{absent}
{glance}
<h2>The reports</h2>
<ul class="reports">
{reports}
</ul>
<h2 id="optional-sources">Optional sources in this build</h2>
<p>The FBI's county crime files for 2010, 2012 and 2016 come from ICPSR, a signed-in download that
may not be redistributed, so the site builds without them and adds their years when they are
present. The pages that need an absent year say so where the year would appear; the project's
README explains the download (<em>Adding the 2010, 2012 and 2016 crime years</em>).</p>
<table class="report-table optional-sources" tabindex="0"><thead><tr><th>Source</th><th>Years</th>
<th>This build</th></tr></thead><tbody>{optional}</tbody></table>
<h2>Sources</h2>
<table class="report-table" tabindex="0"><thead><tr><th>Source</th><th>Producer</th><th>Years</th>
<th>Licence</th></tr></thead><tbody>{sources}</tbody></table>
<p class="meta">Every figure comes from these files through the code in the project's
repository; <code>data/sources.toml</code> there gives each file's address and checksum.
The tables' CSV files keep the columns' machine names; <a href="tables/data-dictionary.csv">the
data dictionary</a> says what each one means.</p>
<footer class="report-footer"><p class="meta provenance">Made with {provenance}; each report's
page lists them in full.</p></footer>
</main></body></html>
"""
