"""The index page: every report with its finding, the optional sources the
build had, and the sources."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from ..atomic import write_text
from .config import load_config, template_dir
from .layout import index_path, meta_path


def build_index(config: Path | None = None) -> Path:
    from .. import sources
    from ..availability import absent_crime_years, listed
    from ..provenance import describe, record

    specs = load_config(config)
    rows = []
    for spec in specs:
        meta = json.loads(meta_path(spec.name).read_text()) if meta_path(spec.name).exists() else {}
        params = ", ".join(f"{k} {v}" for k, v in spec.parameters.items())
        tables = " ".join(
            f'<a href="tables/{spec.name}/{t}.csv">{html.escape(t)}.csv</a>'
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
            f'<li><h3><a href="html/{spec.name}.html">'
            f"{html.escape(spec.title or spec.name)}</a></h3>"
            f'<p class="finding">{html.escape(meta.get("finding", ""))}</p>'
            f'<p class="meta">{html.escape(params)}{" · " if params else ""}built '
            f"{html.escape(meta.get('built_at', '')[:10])}</p>"
            + (f'<p class="meta">Tables: {tables}</p>' if tables else "")
            + missing
            + "</li>"
        )
    cited = [s for s in sources.registry().values()]
    source_rows = "".join(
        f"<tr><td>{html.escape(s.title)}</td><td>{html.escape(s.producer)}</td>"
        f"<td>{html.escape(s.years)}</td><td>{html.escape(s.licence)}</td></tr>"
        for s in cited
    )
    built = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    absent = absent_crime_years()
    summary = (
        f'<p class="notice-missing">This build has no crime for '
        f"{listed([str(y) for y in absent])}: those years come from optional ICPSR files "
        '(see <a href="#optional-sources">Optional sources</a> below).</p>'
        if absent
        else ""
    )
    page = INDEX_TEMPLATE.format(
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


def _optional_rows() -> str:
    """The optional sources and whether this build had them, as table rows."""
    from .. import sources
    from ..availability import optional_status

    rows = []
    for status in optional_status():
        source = sources.registry()[status["source"]]
        state = (
            "in this build"
            if status["present"]
            else "not in this build: download it from "
            f'<a href="{html.escape(source.landing_page)}">'
            f"{html.escape(source.landing_page)}</a> and save it as "
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
<title>Sanctuary counties: reports</title>
<style>{css}</style></head>
<body><main class="site">
<h1>Sanctuary counties: crime, poverty and unemployment</h1>
<p class="lede">Do counties that limit cooperation with federal immigration enforcement differ
from other counties? Each report below answers for one definition of "sanctuary", one year or
one method, from public data; read them together to see how much the answer depends on those
choices. A difference between groups of counties is not, by itself, an effect of the policy.</p>
<p class="meta">Built {built}.</p>
{absent}
<ul class="reports">
{reports}
</ul>
<h2 id="optional-sources">Optional sources in this build</h2>
<p>The FBI's county crime files for 2010, 2012 and 2016 come from ICPSR, a signed-in download that
may not be redistributed, so the site builds without them and adds their years when they are
present. The pages that need an absent year say so where the year would appear; the project's
README explains the download (<em>Adding the 2010, 2012 and 2016 crime years</em>).</p>
<table class="report-table optional-sources"><thead><tr><th>Source</th><th>Years</th>
<th>This build</th></tr></thead><tbody>{optional}</tbody></table>
<h2>Sources</h2>
<table class="report-table"><thead><tr><th>Source</th><th>Producer</th><th>Years</th>
<th>Licence</th></tr></thead><tbody>{sources}</tbody></table>
<p class="meta">Every figure comes from these files through the code in the project's
repository; <code>data/sources.toml</code> there gives each file's address and checksum.</p>
<footer class="report-footer"><p class="meta provenance">Made with {provenance}; each report's
page lists them in full.</p></footer>
</main></body></html>
"""
