"""The years the county panel covers, and which source file gives each year.

Kept apart from `panel` (which needs pandas) so that checking a year is cheap
for the command line and the report runner.
"""

YEARS = list(range(2010, 2018))
UCR_FILES = {2010: "ucr-2010", 2012: "ucr-2012", 2016: "ucr-2016"}
URBAN_CRIME_YEARS = [2015, 2017]
CRIME_YEARS = sorted([*UCR_FILES, *URBAN_CRIME_YEARS])
SAIPE_FILES = {y: f"saipe-{y}" for y in [2010, 2012, 2013, 2014, 2015, 2016, 2017]}
SAIPE_COMPILED_YEARS = [2011]
LAUS_FILES = {y: f"laus-{y}" for y in YEARS}
