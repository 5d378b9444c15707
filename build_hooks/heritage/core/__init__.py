"""The types every stage shares: problems, entries and the catalog, the base models, what a build may show."""
