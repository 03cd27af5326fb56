"""What a report page shows, section by section, one module per kind of page.

Each function computes its estimates, draws its figure, and publishes its table, figure
and finding through the page's `Report` (which, in JupyterLab, only displays them); it
returns what it computed, so a researcher can keep working with it. Notebooks are then
their parameters, one call per section and the prose that explains it; the branching
for absent years, the variant tables and the findings' wording live here, tested with
the rest of the library. A page imports only its own module, so a change to one kind of
page rebuilds only the reports that show it.

- `scope`: the outcomes a page can study, and what a reader must know of its unit;
- `comparison`: a comparison of the groups in a year (02);
- `before_after`: event studies and the crime difference-in-differences (04);
- `lists`: the lists, their overlap, cities, state laws and maps (01, 06);
- `published`: beside the 2017 report's figures (03, 07);
- `robustness`: the specification curve (05);
- `data`: what the data hold, year by year (08).
"""
