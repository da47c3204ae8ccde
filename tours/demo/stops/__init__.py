"""One module per stop of the demo tour, each with its ``STOP``."""
