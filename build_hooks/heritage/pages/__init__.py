"""Pages made from the whole catalog rather than one collection: timeline, teaching, map, field dictionary, QR sheet."""
