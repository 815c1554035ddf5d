"""The pipeline: load, present, render every output kind, write; the preview's rebuilds are the same pipeline."""
