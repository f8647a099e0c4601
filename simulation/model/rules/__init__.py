"""Pure numpy rules of the model: no state, no I/O, closed-form testable."""
