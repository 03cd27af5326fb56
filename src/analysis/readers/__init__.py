"""One small reader per source format.

Each reader takes the path of a verified raw file and the file's account in
the build log, checks the columns it relies on, converts values strictly
(a value that should be a number and is not stops the build, naming the row),
drops only rows that are not counties (recording how many and why), and
returns a tidy frame keyed by `fips` (5-character string, 2015 boundaries)
and, where the source has it, `year`.
"""
