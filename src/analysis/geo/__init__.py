"""Geographic identities: county FIPS codes on 2015 boundaries and the changes that
map older and newer codes to them (`counties`), and the states with their postal
codes and Census regions (`regions`)."""
