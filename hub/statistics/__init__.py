"""Shared quarterly statistics (seed 004): the standard template every guarantor body fills
each quarter, its data-defined extra fields, the CSV/XLSX upload, open data and the public
page charted per region."""
