"""Shipped input data of the model and its loader.

The CSV files in this folder are described in ``README.md``; :func:`load_inputs` reads and
validates them (:mod:`simulation.data.schema` says what each holds, :mod:`simulation.data.tables`
checks every cell) and returns an :class:`Inputs` bundle.
"""

from simulation.data.inputs import Inputs, default_data_dir, load_inputs

__all__ = ["Inputs", "default_data_dir", "load_inputs"]
