"""The pipeline's stages in order: load → validate (and lint) → link → render → export; pipeline.py runs them."""
