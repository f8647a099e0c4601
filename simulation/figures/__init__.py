"""Figures drawn from tables and arrays only (they never import the model)."""
