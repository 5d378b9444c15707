"""Everything a build writes besides pages, and what runs over the built site: open data, media, images, search, release, offline, reports."""
