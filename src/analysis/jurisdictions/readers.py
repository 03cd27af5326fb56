"""One reader per jurisdiction list, each returning the list's rows as written.

Every reader returns a frame with ROW_COLUMNS, one row per entry of the list
(nothing merged, nothing corrected away): `raw` is the entry as printed,
`name` the jurisdiction name read from it, `kind` what the entry names
(county, city, state, or statewide: every county of a state), and `flags`
records each quirk of the source met on the way (a typo read through, a
date repaired, an entry printed under the wrong heading). Resolution to
counties happens later (resolve.py), so these functions only read.

`state_abbr` turns a state written as a name or an abbreviation into its
postal abbreviation (None if it is not a state); the build passes the
gazetteer's lookup, tests a small dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import BadValue, SourceFormatError
from ..geo.counties import pad_fips
from ..names.gazetteer import county_suffix
from ..readers._common import require_columns
from ..sources.buildlog import FileAccount

StateLookup = Callable[[str], "str | None"]

ROW_COLUMNS = [
    "source",
    "row",
    "location",
    "listed_as",
    "raw",
    "name",
    "state",
    "kind",
    "date",
    "date_as_written",
    "policy",
    "detail",
    "years_active",
    "source_fips",
    "flags",
]
KINDS = ("county", "city", "state", "statewide")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def row_frame(rows: list[dict], source: str) -> pd.DataFrame:
    frame = pd.DataFrame([{c: r.get(c) for c in ROW_COLUMNS} for r in rows], columns=ROW_COLUMNS)
    frame["source"] = source
    frame["row"] = frame["row"].astype("int64")
    frame["flags"] = frame["flags"].map(lambda f: list(f or []))
    return frame


def _state(
    text: str,
    state_abbr: StateLookup,
    path: Path,
    where: str,
    spellings: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    abbr = state_abbr(text)
    if abbr:
        return abbr, []
    fixed = (spellings or {}).get(text.strip())
    if fixed and state_abbr(fixed):
        return state_abbr(fixed), ["state_misspelt"]
    raise SourceFormatError(
        path,
        f"{where}: {text!r} is not a US state.",
        "If the source misspells a state, add the spelling to the reader's "
        "STATE_SPELLINGS with a comment; otherwise check the file's layout.",
    )


# --- 2014 ICE detainer-policy table (CIS map export) --------------------------

CIS_COLUMNS = [
    "Location",
    "Date Enacted",
    "Policy",
    "Criteria for Honoring Detainer",
    "Designation",
]
CIS_KINDS = {"1": "city", "2": "county", "3": "state"}
# The CIS table prints Iowa once with a lower-case L for the capital I.
STATE_SPELLINGS = {"lowa": "Iowa"}


def read_cis_2014(
    path: Path, account: FileAccount, state_abbr: StateLookup, source: str = "cis-sanctuary-map"
) -> pd.DataFrame:
    """cis_sanctuary_map.csv: Location ("Name, State"), Date Enacted ("Sep-14"),
    Policy, Criteria for Honoring Detainer, Designation (1 city, 2 county, 3 state)."""
    raw = account.read(pd.read_csv(path, dtype=str, keep_default_na=False))
    require_columns(raw, CIS_COLUMNS, path)
    rows = []
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2  # line 1 is the header
        where = f"line {line}"
        designation = rec["Designation"].strip()
        if designation not in CIS_KINDS:
            raise BadValue(path, "Designation", [(line, designation)], 1)
        text = " ".join(rec["Location"].split())
        name, state, flags = _cis_location(text, designation, state_abbr, path, where)
        kind = CIS_KINDS[designation]
        jails = re.fullmatch(r"(.+) County Jails", name)
        if kind == "county" and jails and state_abbr(jails.group(1)) == state:
            kind = "statewide"  # "Colorado County Jails": every county jail of the state
        date, date_flags = _cis_date(rec["Date Enacted"].strip(), path, line)
        rows.append(
            {
                "row": line,
                "location": where,
                "listed_as": f"designation {designation}",
                "raw": rec["Location"],
                "name": name,
                "state": state,
                "kind": kind,
                "date": date,
                "date_as_written": rec["Date Enacted"],
                "policy": rec["Policy"].strip() or None,
                "detail": rec["Criteria for Honoring Detainer"].strip() or None,
                "flags": flags + date_flags,
            }
        )
    return account.keep(row_frame(rows, source))


def _cis_location(
    text: str, designation: str, state_abbr: StateLookup, path: Path, where: str
) -> tuple[str, str, list[str]]:
    flags: list[str] = []
    if designation == "3" and "," not in text:
        state, flags = _state(text, state_abbr, path, where, STATE_SPELLINGS)
        return text, state, flags
    if "," in text:
        name, state_text = text.rsplit(",", 1)
    elif ". " in text:  # "East Haven. Connecticut"
        name, state_text = text.rsplit(". ", 1)
        flags.append("period_for_comma")
    else:
        raise SourceFormatError(path, f"{where}: Location {text!r} is not 'Name, State'.")
    state_text = state_text.strip()
    zip_code = re.fullmatch(r"(.+?)\s+\d{5}", state_text)
    if zip_code:  # "Franklin County, Washington 99301"
        state_text = zip_code.group(1)
        flags.append("zip_code_removed")
    state, state_flags = _state(state_text, state_abbr, path, where, STATE_SPELLINGS)
    return name.strip(), state, flags + state_flags


def _cis_date(text: str, path: Path, line: int) -> tuple[str, list[str]]:
    """'Sep-14' is September 2014. Excel turned some 'Aug-14' cells into 14 August of
    the year it was opened ('2015-08-14'): the day is the year, the month the month."""
    month_year = re.fullmatch(r"([A-Z][a-z]{2})-(\d{2})", text)
    mangled = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if month_year and month_year.group(1) in MONTHS:
        month, year = MONTHS.index(month_year.group(1)) + 1, 2000 + int(month_year.group(2))
        flags = []
    elif mangled:
        month, year = int(mangled.group(2)), 2000 + int(mangled.group(3))
        flags = ["date_excel_mangled"]
    else:
        raise BadValue(path, "Date Enacted", [(line, text)], 1)
    if not (2000 <= year <= 2015 and 1 <= month <= 12):
        raise BadValue(path, "Date Enacted", [(line, text)], 1)
    return f"{year}-{month:02d}", flags


# --- DOJ list, 5 August 2025 --------------------------------------------------

DOJ_KINDS = {"state": "state", "county": "county", "city": "city"}


def read_doj_2025(
    path: Path, account: FileAccount, state_abbr: StateLookup, source: str = "doj-list-2025"
) -> pd.DataFrame:
    """listed_as (state, county, city), name, state (postal abbreviation)."""
    raw = account.read(pd.read_csv(path, dtype=str, keep_default_na=False))
    require_columns(raw, ["listed_as", "name", "state"], path)
    rows = []
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2
        listed = rec["listed_as"].strip()
        if listed not in DOJ_KINDS:
            raise BadValue(path, "listed_as", [(line, listed)], 1)
        state, flags = _state(rec["state"], state_abbr, path, f"line {line}")
        if listed == "state" and state == "DC":
            flags.append("dc_listed_as_state")
        rows.append(
            {
                "row": line,
                "location": f"line {line}",
                "listed_as": listed,
                "raw": rec["name"],
                "name": rec["name"].strip(),
                "state": state,
                "kind": DOJ_KINDS[listed],
                "date": "2025-08-05",
                "flags": flags,
            }
        )
    return account.keep(row_frame(rows, source))


# --- DHS list, May 2025 (PDF) -------------------------------------------------


@dataclass(frozen=True)
class PdfLine:
    """One line of text on a PDF page, with the font of its first word."""

    page: int
    top: float
    bottom: float
    page_height: float
    font: str
    size: float
    text: str


# The printed page's typography: state names, section headings and entries each
# have their own font. A different rendering of the page fails here, loudly.
DHS_FONTS = {
    ("SourceSansPro-Bold", 19.2): "state",
    ("Merriweather-Bold", 18.7): "section",
    ("SourceSansPro-Regular", 16.0): "entry",
}
DHS_LIST_START = "Sanctuary Jurisdiction List"
DHS_LIST_END = "Keywords"
DHS_SECTIONS = {"State": "state", "County": "county", "Counties": "county", "Cities": "city"}
DHS_COUNT_COLUMN = {"State": 0, "County": 1, "Counties": 1, "Cities": 2}
DHS_DESCRIPTION = re.compile(r"^(Self-Identification|Court Order)\b")
# Entries per state on the page as DHS published it (29 May 2025 capture):
# (State rows, entries under County/Counties, entries under Cities).
DHS_2025_COUNTS = {
    "Alaska": (0, 0, 1),
    "California": (1, 48, 63),
    "Colorado": (1, 39, 14),
    "Connecticut": (1, 0, 6),
    "Delaware": (1, 1, 2),
    "District of Columbia": (0, 0, 1),
    "Georgia": (0, 4, 2),
    "Hawaii": (0, 0, 1),
    "Idaho": (0, 0, 1),
    "Illinois": (1, 96, 7),
    "Indiana": (0, 1, 0),
    "Kansas": (0, 1, 1),
    "Kentucky": (0, 4, 1),
    "Louisiana": (0, 0, 1),
    "Maine": (0, 2, 1),
    "Maryland": (1, 8, 10),
    "Massachusetts": (1, 13, 12),
    "Michigan": (0, 6, 2),
    "Minnesota": (1, 20, 2),
    "Nebraska": (0, 10, 0),
    "Nevada": (0, 0, 1),
    "New Hampshire": (0, 0, 2),
    "New Jersey": (1, 3, 18),
    "New Mexico": (0, 23, 2),
    "New York": (1, 15, 12),
    "North Carolina": (0, 4, 0),
    "North Dakota": (0, 7, 0),
    "Ohio": (0, 3, 2),
    "Oregon": (1, 15, 4),
    "Pennsylvania": (0, 11, 5),
    "Rhode Island": (1, 0, 2),
    "Tennessee": (0, 1, 1),
    "Vermont": (1, 0, 3),
    "Virginia": (0, 19, 13),
    "Washington": (1, 35, 5),
    "Wisconsin": (0, 2, 2),
}


def pdf_lines(path: Path) -> list[PdfLine]:
    """The text lines of every page, top to bottom, with font name and size.

    Lines are built from the characters, which include the page's own spaces:
    word extraction would split words at ligatures ("Je ff erson").
    """
    import pdfplumber

    lines: list[PdfLine] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            by_top: dict[float, list[dict]] = {}
            for char in page.chars:
                by_top.setdefault(round(char["top"], 1), []).append(char)
            for top in sorted(by_top):
                chars = sorted(by_top[top], key=lambda c: c["x0"])
                text = " ".join("".join(c["text"] for c in chars).split())
                if not text:
                    continue
                first = next(c for c in chars if c["text"].strip())
                lines.append(
                    PdfLine(
                        page.page_number,
                        top,
                        max(c["bottom"] for c in chars),
                        float(page.height),
                        first["fontname"].split("+")[-1],
                        round(float(first["size"]), 1),
                        text,
                    )
                )
    return lines


def read_dhs_2025(
    path: Path, account: FileAccount, state_abbr: StateLookup, source: str = "dhs-list-2025"
) -> pd.DataFrame:
    """The DHS list as printed to PDF: state names, then sections State / County or
    Counties / Cities, each followed by its entries."""
    frame, notes = parse_dhs_lines(pdf_lines(path), path, state_abbr, source=source)
    account.notes.extend(notes)
    account.read(frame)
    return account.keep(frame)


def parse_dhs_lines(
    lines: Iterable[PdfLine],
    path: Path,
    state_abbr: StateLookup,
    expected: dict[str, tuple[int, int, int]] = DHS_2025_COUNTS,
    source: str = "dhs-list-2025",
) -> tuple[pd.DataFrame, list[str]]:
    shown = paths.relative(path)
    rows: list[dict] = []
    notes: list[str] = []
    found: dict[str, list[int]] = {}  # state -> entries under State, Counties, Cities
    state_name = section = None
    started = ended = False
    for line in lines:
        if not started:
            started = line.text == DHS_LIST_START
            continue
        middle = (line.top + line.bottom) / 2
        if not 0 <= middle < line.page_height:
            # A line cut by a page break is printed on both pages; it belongs to the
            # page that holds its middle.
            notes.append(
                f"page {line.page}: {line.text!r} straddles the page edge and is "
                "printed again on the neighbouring page; read once"
            )
            continue
        role = DHS_FONTS.get((line.font, line.size))
        if role == "state" and line.text == DHS_LIST_END:
            ended = True
            break
        if role is None:
            raise SourceFormatError(
                shown,
                f"page {line.page}: line {line.text!r} in font "
                f"{line.font} {line.size} is not a state, a heading "
                "or an entry of the list's layout (DHS_FONTS).",
            )
        if role == "state":
            if state_abbr(line.text) is None:
                raise SourceFormatError(
                    shown,
                    f"page {line.page}: {line.text!r} is set as a "
                    "state heading but is not a state.",
                )
            state_name, section = line.text, None
            found.setdefault(state_name, [0, 0, 0])
        elif role == "section":
            if line.text not in DHS_SECTIONS:
                raise SourceFormatError(
                    shown,
                    f"page {line.page}: unknown section heading "
                    f"{line.text!r} (expected {sorted(DHS_SECTIONS)}).",
                )
            section = line.text
        else:
            if state_name is None or section is None:
                raise SourceFormatError(
                    shown,
                    f"page {line.page}: entry {line.text!r} comes "
                    "before any state and section heading.",
                )
            rows.append(_dhs_row(len(rows) + 1, line, state_name, section, state_abbr))
            found[state_name][DHS_COUNT_COLUMN[section]] += 1
    if not started or not ended:
        missing = DHS_LIST_START if not started else DHS_LIST_END
        raise SourceFormatError(
            shown,
            f"the list's {'start' if not started else 'end'} "
            f"({missing!r}) was not found in the text.",
        )
    _check_dhs_counts(found, expected, shown)
    return row_frame(rows, source), notes


def _dhs_row(
    number: int, line: PdfLine, state_name: str, section: str, state_abbr: StateLookup
) -> dict:
    text = line.text
    kind = DHS_SECTIONS[section]
    flags: list[str] = []
    name, policy = text, None
    if kind == "state" or DHS_DESCRIPTION.match(text):
        # "Self-Identification as ..." describes the heading's own jurisdiction.
        name, policy = state_name, text
        if kind != "state":
            flags.append("description_not_name")
    elif kind == "city" and county_suffix(text) in ("County", "Parish", "Borough"):
        kind = "county"
        flags.append("dhs_listed_under_cities")
    elif kind == "county" and county_suffix(text) is None:
        flags.append("listed_under_counties_without_county_word")
    return {
        "row": number,
        "location": f"entry {number} (page {line.page})",
        "listed_as": section,
        "raw": text,
        "name": name,
        "state": state_abbr(state_name),
        "kind": kind,
        "date": "2025-05-29",
        "policy": policy,
        "flags": flags,
    }


def _check_dhs_counts(
    found: dict[str, list[int]], expected: dict[str, tuple[int, int, int]], shown: str
) -> None:
    wrong = {
        name: (tuple(found.get(name, (0, 0, 0))), expected.get(name, (0, 0, 0)))
        for name in set(found) | set(expected)
        if tuple(found.get(name, (0, 0, 0))) != expected.get(name, (0, 0, 0))
    }
    if wrong:
        detail = "; ".join(
            f"{n}: read {got}, the page shows {want}" for n, (got, want) in sorted(wrong.items())
        )
        raise SourceFormatError(
            shown,
            "entries per state (State, Counties, Cities) differ from the published page: "
            f"{detail}.",
            "The PDF's text layout differs from the one the reader knows (fonts, headings, page "
            "breaks). Fix parse_dhs_lines rather than accept a shorter list.",
        )


# --- 287(g): Washington Post curation 2005-2019 ----------------------------------

WAPO_YEARS = list(range(2005, 2020))
WAPO_ENDED_HEADING = re.compile(r"COUNTIES THAT ENDED 287\(g\)", re.I)
STATE_FORCE = re.compile(r"State Police|State Patrol|Highway Patrol", re.I)
STATE_DEPARTMENT = re.compile(r"(.*?)\s*\bDepartment of (?:Corrections|Public Safety)", re.I)
COUNTY_AGENCY = re.compile(r"\bCounty\b|\bParish\b|Sheriff|\bJail\b|Detention|Corrections", re.I)


def read_wapo_287g(
    path: Path, account: FileAccount, state_abbr: StateLookup, source: str = "wapo-287g-2019"
) -> pd.DataFrame:
    """287g_curated_2019.xlsx: State, County (the agency), FIPS, y2005..y2019 ('X'
    where an agreement was active), NOTES; a second section lists agencies whose
    agreements ended."""
    sheet = pd.read_excel(path, dtype=str, engine="calamine")
    return tidy_wapo_287g(sheet, path, account, state_abbr, source)


def tidy_wapo_287g(
    sheet: pd.DataFrame,
    path: Path,
    account: FileAccount,
    state_abbr: StateLookup,
    source: str = "wapo-287g-2019",
) -> pd.DataFrame:
    year_columns = [f"y{y}" for y in WAPO_YEARS]
    require_columns(sheet, ["State", "County", "FIPS", "NOTES", *year_columns], path)
    sheet = account.read(sheet.copy())
    sheet["row"] = sheet.index + 2  # sheet row 1 is the header
    text = sheet[["State", "County"]].apply(lambda s: s.fillna("").str.strip())
    sheet = account.drop(
        sheet, (text["State"] == "") & (text["County"] == ""), "blank row", key="row"
    )
    heading = text["County"].str.contains(WAPO_ENDED_HEADING).reindex(sheet.index)
    ended_from = sheet.index[heading].min() if heading.any() else None
    sheet = account.drop(sheet, heading, "section heading 'COUNTIES THAT ENDED 287(g)'", key="row")
    rows = []
    state_text = ""
    for idx, rec in sheet.iterrows():
        where = f"row {rec['row']}"
        flags: list[str] = []
        if isinstance(rec["State"], str) and rec["State"].strip():
            state_text = rec["State"].strip()
        elif state_text:
            flags.append("state_from_row_above")  # the sheet leaves a state's later rows blank
        else:
            raise SourceFormatError(path, f"{where}: no State and no row above.")
        state, state_flags = _state(state_text, state_abbr, path, where)
        agency = " ".join(str(rec["County"]).split())
        kind, name = agency_kind_and_name(agency, state_text)
        years = []
        for year, column in zip(WAPO_YEARS, year_columns):
            cell = rec[column].strip().upper() if isinstance(rec[column], str) else ""
            if cell not in ("", "X"):
                raise BadValue(path, column, [(rec["row"], rec[column])], 1)
            if cell == "X":
                years.append(year)
        fips = rec["FIPS"].strip() if isinstance(rec["FIPS"], str) else ""
        if fips and not fips.isdigit():
            raise BadValue(path, "FIPS", [(rec["row"], fips)], 1)
        section = "agreements ended" if ended_from is not None and idx > ended_from else "agencies"
        rows.append(
            {
                "row": rec["row"],
                "location": where,
                "listed_as": section,
                "raw": agency,
                "name": name,
                "state": state,
                "kind": kind,
                "detail": rec["NOTES"] if isinstance(rec["NOTES"], str) else None,
                "years_active": years,
                "source_fips": pad_fips([fips])[0] if fips else None,
                "flags": flags + state_flags,
            }
        )
    return account.keep(row_frame(rows, source))


def agency_kind_and_name(agency: str, state_name: str) -> tuple[str, str]:
    """What an agency's name says it serves: a state, a county or a city, and that
    jurisdiction's name ("Etowah County Sheriff's Office" -> county "Etowah County")."""
    department = STATE_DEPARTMENT.fullmatch(agency)
    if STATE_FORCE.search(agency) or (department and _names_state(department.group(1), state_name)):
        return "state", state_name
    if COUNTY_AGENCY.search(agency):
        county = re.match(r"(.+?\b(?:County|Parish))\b", agency, re.I)
        if county:
            return "county", county.group(1)
        return "county", re.sub(r"\s+Sheriff.*$", "", agency, flags=re.I)
    return "city", municipality_name(agency)


def _names_state(prefix: str, state_name: str) -> bool:
    """A department named after its state, or after nothing ("Department of
    Corrections" in Alaska's row); a misspelling ("Delware") still counts."""
    from difflib import SequenceMatcher

    if not prefix:
        return True
    return SequenceMatcher(None, prefix.lower(), state_name.lower()).ratio() >= 0.85


def municipality_name(agency: str) -> str:
    """'City of Miami Springs Police Department' -> 'Miami Springs'."""
    name = re.sub(
        r"\s+(Police|Department of Public Safety|Public Safety|Constable)\b.*$",
        "",
        agency,
        flags=re.I,
    )
    name = re.sub(r"^(City|Town|Village) of\s+", "", name, flags=re.I)
    return name.strip()


# --- 287(g): ICE participating agencies, 29 May 2025 ----------------------------

ICE_COLUMNS = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED"]
ICE_KINDS = {"County": "county", "Municipality": "city", "State Agency": "state"}


def read_ice_287g_2025(
    path: Path, account: FileAccount, state_abbr: StateLookup, source: str = "ice-287g-2025"
) -> pd.DataFrame:
    """participatingAgencies05292025am.xlsx: one row per agreement (an agency may
    have several support types): STATE, LAW ENFORCEMENT AGENCY, TYPE (County,
    Municipality, State Agency), COUNTY, SUPPORT TYPE, SIGNED, MOA."""
    sheet = pd.read_excel(path, dtype=str, engine="calamine")
    return tidy_ice_287g(sheet, path, account, state_abbr, source)


def tidy_ice_287g(
    sheet: pd.DataFrame,
    path: Path,
    account: FileAccount,
    state_abbr: StateLookup,
    source: str = "ice-287g-2025",
) -> pd.DataFrame:
    require_columns(sheet, ICE_COLUMNS, path)
    sheet = account.read(sheet.fillna(""))
    rows = []
    for i, rec in enumerate(sheet.to_dict("records")):
        line = i + 2
        where = f"row {line}"
        agency = " ".join(rec["LAW ENFORCEMENT AGENCY"].split())
        listed = rec["TYPE"].strip()
        if listed not in ICE_KINDS:
            raise BadValue(path, "TYPE", [(line, listed)], 1)
        state, flags = _state(rec["STATE"], state_abbr, path, where)
        kind = ICE_KINDS[listed]
        county = " ".join(rec["COUNTY"].split())
        if kind == "county":
            name = county
            if not county:
                name = agency_kind_and_name(agency, rec["STATE"])[1]
                flags.append("county_column_blank")
        elif kind == "city":
            name = municipality_name(agency)
        else:
            name = rec["STATE"].strip().title()
        date, date_flags = _ice_date(rec["SIGNED"].strip(), path, line)
        rows.append(
            {
                "row": line,
                "location": where,
                "listed_as": listed,
                "raw": agency,
                "name": name,
                "state": state,
                "kind": kind,
                "date": date,
                "date_as_written": rec["SIGNED"],
                "detail": rec["SUPPORT TYPE"].strip() or None,
                "flags": flags + date_flags,
            }
        )
    return account.keep(row_frame(rows, source))


def _ice_date(text: str, path: Path, line: int) -> tuple[str, list[str]]:
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?", text)
    if iso:
        return "-".join(iso.groups()), []
    slashed = re.fullmatch(r"(\d{2})/(\d{2})/?(\d{4})", text)  # "05/082025" lost a slash
    if slashed:
        month, day, year = slashed.groups()
        return f"{year}-{month}-{day}", ([] if text.count("/") == 2 else ["date_slash_missing"])
    raise BadValue(path, "SIGNED", [(line, text)], 1)


# --- the lists the build reads ----------------------------------------------------


@dataclass(frozen=True)
class ListSpec:
    reader: Callable[[Path, FileAccount, StateLookup], pd.DataFrame]
    yearly: bool = False  # rows carry the years an agreement was active


LISTS = {
    "cis-sanctuary-map": ListSpec(read_cis_2014),
    "dhs-list-2025": ListSpec(read_dhs_2025),
    "doj-list-2025": ListSpec(read_doj_2025),
    "wapo-287g-2019": ListSpec(read_wapo_287g, yearly=True),
    "ice-287g-2025": ListSpec(read_ice_287g_2025),
}
