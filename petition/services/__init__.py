"""Application logic: plain functions with explicit arguments, never `request`."""
