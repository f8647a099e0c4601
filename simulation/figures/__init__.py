"""Figures and reports, drawn from tidy tables only (they never import the model).

One presentation style for talks (``style``), one EN/VI catalog of every word shown
(``labels``), one way of writing numbers (``text``); figure functions take DataFrames and
return matplotlib Figures. ``sets`` says which figures each kind of results folder gets.
"""
