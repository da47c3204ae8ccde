"""The demo tour seeded on first run: Huế, the imperial city (models and texts)."""
