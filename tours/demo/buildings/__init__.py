"""One module per demo monument; each has ``build() -> Assembly``."""
