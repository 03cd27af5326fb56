"""Sanctuary counties: the library behind the notebooks and reports.

    from analysis import load_panel, compare
    panel = load_panel(years=[2015])
    compare.compare("ice2014", "match", 2015, "poverty_pct")

The names below are imported on first use (lazy_loader, with their places written
down in __init__.pyi, which editors, type checkers and the report rules read), so
`import analysis` stays fast. The layers, from the bottom: core, sources, geo,
readers, names, panels, jurisdictions, compare, publish, sections, reports, cli;
each imports only those below it (tests/test_structure.py).
"""

import lazy_loader

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
