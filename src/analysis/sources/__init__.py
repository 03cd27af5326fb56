"""The source files: their catalogue (data/sources.toml) and verified fetch
(`catalogue`), the account a build keeps of every row it read (`buildlog`), and the
record of what a build was made from (`provenance`).

    from analysis import sources
    sources.registry()["fbi-cde-state-estimates"].files
"""

from .catalogue import (
    MIRROR_ENV,
    Fetched,
    Source,
    SourceFile,
    absent_notice,
    all_files,
    fetch,
    optional_files,
    present_optional_files,
    registry,
    sha256_of,
    source_file,
    verified_path,
)

__all__ = [
    "MIRROR_ENV",
    "Fetched",
    "Source",
    "SourceFile",
    "absent_notice",
    "all_files",
    "fetch",
    "optional_files",
    "present_optional_files",
    "registry",
    "sha256_of",
    "source_file",
    "verified_path",
]
