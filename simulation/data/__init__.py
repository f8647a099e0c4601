"""Shipped input data of the model and its loader.

The CSV files in this folder are described in ``README.md``; :func:`load_inputs` reads and
validates them.
"""

from simulation.data.loader import DataError, Inputs, default_data_dir, load_inputs

__all__ = ["DataError", "Inputs", "default_data_dir", "load_inputs"]
