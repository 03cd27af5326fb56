"""What notebooks use to publish: figures, tables and the report's one-line finding.

In JupyterLab (no report name) these only display: figures stay open (the
notebook's own backend shows them, and a researcher can change and show them
again), and running a cell again replaces its outputs. Under `make reports` the
runner sets the notebook's `report_name` parameter and each figure is also
written as PNG and SVG to reports/figures/NAME/, each table as CSV to
reports/tables/NAME/, and the title, finding, parameters and sources to
reports/meta/NAME.json, from which the index page is built.

    report = Report(report_name, title="...", parameters={...},
                    sources=citations.sources_for(["ice2014"], ["poverty_pct"], [2015]))
    report.figure(fig, "crime-by-group")
    report.table(frame, "estimates")      # reader headers from analysis.publish.labels; CSV as is
    report.finding("...")
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
from urllib.parse import urlsplit

from ..core.atomic import write_json, write_text
from . import citations, labels
from .figure_text import description, overlapping_labels
from .layout import figures_dir, meta_path, tables_dir
from .parameters import check_values

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Columns whose values are ids to type (a definition's id in the table of definitions).
CODE_COLUMNS = ("id",)
PNG_DPI = 120  # sharp at the page's 900-pixel width
# Schemes a link taken from data may have: anything else (javascript:, data:, file:)
# would run or open something in the reader's browser.
SAFE_SCHEMES = ("http", "https")


def safe_url(url: object) -> str | None:
    """`url` when it is an http(s) address with a host, else None: a link target from
    data (a source's address, a list's cell) must not run script or open a local file."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    # Browsers drop tabs and newlines inside a URL, so "java\tscript:" would still run.
    if not text or any(ord(ch) < 32 or ch == "\x7f" for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return text


# A text cell a spreadsheet would read as a formula (OWASP, "CSV injection"): = + - @, and
# the tab and carriage return some spreadsheets skip before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """`value`, with a leading ' when it is text a spreadsheet would run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def spreadsheet_safe(frame):
    """A copy of `frame` for a CSV a reader opens in a spreadsheet: every text cell (and
    text index) that starts a formula gets a leading ', so it shows as text and never
    runs. Numbers stay numbers: -3.2 in a float column is untouched."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_text)
    if not pd.api.types.is_numeric_dtype(safe.index):
        safe.index = safe.index.map(spreadsheet_text)
    return safe


def script_json(value) -> str:
    """`value` as JSON to put inside a <script> element: no "</script>" or "<!--" in the
    data can end the element or change how the browser reads it."""
    text = json.dumps(value)
    # Outside strings JSON has no <, > or &, so these escapes only ever touch string content.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def text_html(text: object) -> str:
    """Text from a notebook (it may quote data: a list's names, a definition's title) as
    HTML that shows exactly that text; `backticks` mark code, as in the notices."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(text)))


def _reader_view(frame):
    """The table as a reader sees it: labelled outcomes and methods, headers with units."""
    shown = frame.copy()
    if "definition" in shown.index.names:  # an overlap matrix: definitions label the rows
        shown.index = shown.index.map(labels.definition)
    ids = labels.definition_labels()
    shown.columns = [ids.get(c, c) if isinstance(c, str) else c for c in shown.columns]
    for column, label in (
        ("outcome", labels.variable),
        ("covariate", labels.variable),
        ("method", labels.method),
        ("definition", labels.definition),
        ("comparison", labels.with_labels),
        ("covariates", labels.covariate_set_short),
    ):
        if column in shown.columns:
            shown[column] = shown[column].map(lambda v, f=label: f(v) if isinstance(v, str) else v)
    return shown


def _dollar_rows(frame):
    """Rows whose outcome is in dollars (the reader's view labels it '... (US dollars)')."""
    import pandas as pd

    outcome = frame["outcome"] if "outcome" in frame.columns else pd.Series("", index=frame.index)
    return outcome.astype(str).str.contains("US dollars", regex=False).to_numpy()


def _amount(column) -> bool:
    """A column in the outcome's unit (an estimate or its interval), not a p-value or a
    standardised difference."""
    return not re.search(r"p_value|smd|gamma|e_value|mbar|pct|share", str(column))


def _html_table(frame, index: bool, float_format: str, uuid: str, unit: str | None = None) -> str:
    """A table as HTML: text columns left-aligned, numbers right-aligned and formatted
    (thousands separators, except in codes such as years and row numbers; p-values
    to three decimals), headers in words (analysis.publish.labels)."""
    import pandas as pd

    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]

    def fmt(column) -> str:
        if pd.api.types.is_float_dtype(frame[column]):
            return "{:.3f}" if "p_value" in str(column) else float_format
        return "{}" if re.search(r"(^|_)(year|row|stratum)s?($|_)", str(column)) else "{:,}"

    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    classes[numeric] = "num"
    # Styler writes cell text into the page as HTML: every value and label is escaped,
    # so a name or title holding markup reads as that text and never runs.
    styler = frame.style.format(_cell_html, na_rep="")
    # subset, or the formatters of every other column are reset to pandas' default.
    styler = styler.format({c: fmt(c) for c in numeric}, subset=numeric, na_rep="", escape="html")
    dollars = _dollar_rows(frame)
    amounts = [c for c in numeric if pd.api.types.is_float_dtype(frame[c]) and _amount(c)]
    if dollars.any() and amounts:  # money in whole dollars, whatever the other rows' digits
        styler = styler.format("{:,.0f}", subset=(frame.index[dollars], amounts), na_rep="")
    styler = styler.set_td_classes(classes)
    styler = styler.set_uuid(uuid)
    styler = styler.set_table_attributes('class="report-table"')
    # A callable, not relabel_index, whose labels are format strings: a "{" in a
    # column name would raise.
    styler = styler.format_index(lambda c: html.escape(labels.header(c, unit)), axis="columns")
    codes = [c for c in frame.columns if c in CODE_COLUMNS]
    if codes:  # an id a reader types into a notebook or a command, shown as code
        styler = styler.format(_code_html, subset=codes)
    styler = styler.format_index(
        _code_html if frame.index.name in CODE_COLUMNS else _cell_html, axis="index"
    )
    if not index:
        styler = styler.hide(axis="index")
    return styler.to_html()


def _cell_html(value) -> str:
    """A text (or list, or other object) cell as escaped HTML; floats as pandas shows them."""
    if isinstance(value, float):
        return f"{value:.6f}"
    return html.escape(value if isinstance(value, str) else str(value))


def _code_html(value) -> str:
    return f"<code>{_cell_html(value)}</code>"


def check(**parameters) -> dict:
    """Stop at once, in JupyterLab too, when a parameter has a value outside its valid set."""
    check_values(parameters, {}, where="notebook parameters")
    return parameters


class Report:
    """Collects a report's outputs; writes them only when it has a name."""

    def __init__(
        self,
        name: str = "",
        title: str = "",
        parameters: dict | None = None,
        sources: list[str] | None = None,
        unit: str | None = None,
    ):
        self.name = name
        self.title = title
        self.unit = unit  # the unit the tables count, in their headers' words
        self.parameters = dict(parameters or {})
        self.sources = citations.check(sources or [])  # registry ids; an unknown one is an error
        self.figures: list[str] = []
        self.figure_alt: dict[str, str] = {}
        self.figure_overlaps: dict[str, list[list[str]]] = {}  # texts that run into others
        self.lead = ""  # the figure the page opens with, under its answer
        self.who = ""  # who is compared, from the list to the estimate: under the answer
        self.tables: list[str] = []
        self.findings: list[str] = []
        self.notices: list[str] = []

    @property
    def publishing(self) -> bool:
        return bool(self.name)

    def _slug(self, slug: str, taken: list[str]) -> str:
        if not SLUG.match(slug):
            raise ValueError(f"output name {slug!r}: use lowercase letters, digits and hyphens")
        if slug in taken:
            if self.publishing:
                raise ValueError(f"output name {slug!r} is used twice in this report")
            taken.remove(slug)  # a cell run again in JupyterLab: the new output replaces it
        taken.append(slug)
        return slug

    def figure(self, fig, slug: str, lead: bool = False) -> None:
        """Show a matplotlib figure; when publishing, also save it as PNG and SVG.

        In JupyterLab the figure is left open for the notebook's backend to show
        (inline, or an interactive one), so it can be changed and shown again. The first
        `lead` figure opens the published page, under the report's answer (its first
        finding), and is not shown a second time where it was made."""
        from IPython.display import HTML, Image, display

        slug = self._slug(slug, self.figures)
        if not self.publishing:
            return
        # One tight box for both files: "tight" in savefig would lay the figure out again each time.
        clashes = overlapping_labels(fig)  # lays the figure out, as saving it will
        if clashes:
            self.figure_overlaps[slug] = [list(pair) for pair in clashes]
        box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=PNG_DPI, bbox_inches=box)
        folder = figures_dir(self.name)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.png").write_bytes(png.getvalue())
        fig.savefig(folder / f"{slug}.svg", format="svg", bbox_inches=box)
        import matplotlib.pyplot as plt

        alt = description(fig) or slug.replace("-", " ")
        self.figure_alt[slug] = alt
        plt.close(fig)
        if lead and not self.lead:
            self.lead = slug
            self.save()
            display(HTML('<p class="note">The figure at the top of the page.</p>'))
            return
        self.save()
        display(
            Image(data=png.getvalue(), format="png", width=min(fig.get_figwidth() * 100, 900)),
            metadata={"image/png": {"alt": alt}},
        )

    def table(
        self,
        frame,
        slug: str,
        caption: str = "",
        index: bool = False,
        float_format: str = "{:,.2f}",
        max_rows: int = 60,
        csv_only: list[str] | tuple = ("note",),
    ) -> None:
        """Show a table (its first `max_rows` rows, without the `csv_only` columns,
        such as long notes) with a link to download all of it as CSV; when
        publishing, save the CSV."""
        from IPython.display import HTML, display

        slug = self._slug(slug, self.tables)
        csv = spreadsheet_safe(frame).to_csv(index=index)
        if self.publishing:
            write_text(tables_dir(self.name) / f"{slug}.csv", csv)
            self.save()
        csv_only = [c for c in csv_only if c in frame.columns]  # long notes, by default
        shown = frame.drop(columns=csv_only).head(max_rows)
        for column in shown.select_dtypes("float").columns:  # counts read as counts
            values = shown[column].dropna()
            if len(values) and (values == values.round()).all() and values.abs().max() < 1e15:
                shown[column] = shown[column].astype("Int64")
        notes = []
        if len(frame) > max_rows:
            notes.append(f"first {max_rows} of {len(frame):,} rows shown; the CSV has all")
        if notes:
            caption = f"{caption} ({'; '.join(notes)})".strip()
        styled = _html_table(_reader_view(shown), index, float_format, uuid=slug, unit=self.unit)
        link = (
            f'<a class="download" download="{html.escape(self.name or "table")}-{slug}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,'
            f'{base64.b64encode(csv.encode()).decode()}">Download this table (CSV)</a>'
        )
        head = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        display(HTML(f"<div class='report-table-block'>{head}{styled}{link}</div>"))

    def assumption(self, statement: str, holds: bool) -> None:
        """State what the report assumes about the data, and stop if it does not hold."""
        from IPython.display import HTML, display

        if not holds:
            raise AssertionError(f"data check failed: {statement}")
        passed = f"<em>Data check passed: {text_html(statement)}</em>"
        display(HTML(f'<p class="assumption">{passed}</p>'))

    def note(self, text: str) -> None:
        """A sentence of context in the page (shown, not recorded as a finding); shown as
        written, since it may quote data (`backticks` mark code)."""
        from IPython.display import HTML, display

        display(HTML(f'<p class="note">{text_html(text)}</p>'))

    def who_is_compared(self, text: str) -> None:
        """The one line that says who is compared, from the list to the estimate: on the
        published page under the answer, at the top; in JupyterLab, where it is called."""
        from IPython.display import HTML, display

        self.who = text
        if self.publishing:
            self.save()
        else:
            display(HTML(f'<p class="note">{text_html(text)}</p>'))

    def caveats(self, sentences: list[str]) -> None:
        """What the findings above leave out, in one paragraph marked as such, so each
        finding can be one short sentence. Shown as written (it may quote data)."""
        from IPython.display import HTML, display

        if not sentences:
            return
        said = " ".join(text_html(s) for s in sentences)
        display(HTML(f'<p class="caveats"><strong>Caveats.</strong> {said}</p>'))

    def unavailable(self, text: str | None) -> None:
        """Show, in place of a figure, table or estimate, the one line saying which
        data this build lacks and how to add them (see analysis.panels.availability);
        recorded for the index. None shows nothing."""
        from IPython.display import HTML, display

        if not text:
            return
        self.notices.append(text)
        display(HTML(f'<p class="notice-missing">{text_html(text)}</p>'))
        self.save()

    def finding(self, text: str) -> None:
        """State a finding in the report; the first one is the report's line on the index page.
        Shown as written: a finding may quote data (a definition's title, a list's names)."""
        from IPython.display import HTML, display

        self.findings.append(text)
        display(HTML(f'<p class="finding"><strong>{text_html(text)}</strong></p>'))
        self.save()

    def save(self) -> None:
        if not self.publishing:
            return
        write_json(
            meta_path(self.name),
            {
                "name": self.name,
                "title": self.title,
                "finding": self.findings[0] if self.findings else "",
                "findings": self.findings,
                "notices": self.notices,
                "parameters": self.parameters,
                "sources": self.sources,
                "figures": self.figures,
                "figure_alt": self.figure_alt,
                "figure_overlaps": self.figure_overlaps,
                "lead": self.lead,
                "who_is_compared": self.who,
                "tables": self.tables,
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
        )
