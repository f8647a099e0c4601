"""``python -m simulation.plot <folder>``: the presenters' figure set from saved results.

Draws, without re-running anything, every figure of a run, comparison or sweep folder in one
presentation style (16:9, large type, colour-blind-safe, English or Vietnamese), as PNG and
SVG or PDF, plus an animated GIF of flows and ties over the quarters.
"""
