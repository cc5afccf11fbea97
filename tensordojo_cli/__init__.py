"""A small command-line client for the tensordojo REST API (standard library only)."""
