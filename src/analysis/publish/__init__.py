"""Publishing: what a page says and shows, above the engine.

- `labels`: words for readers (outcomes, methods, columns, definitions);
- `findings`: an estimate in words, the same way on every page;
- `plots`: the house style and the figures;
- `reporting`: a notebook's figures, tables and findings, written for the site;
- `citations`: the sources a page cites, from what it uses;
- `layout`: where a report's outputs go;
- `parameters`: the valid values of the notebooks' parameters;
- `replication`: published findings beside the project's own estimates;
- `lookup`: one place's own figures, for the place finder.
"""
