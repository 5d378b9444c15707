"""The collections: the registry that declares them, and one module per collection."""
