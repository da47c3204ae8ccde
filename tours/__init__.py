"""The tour domain: persistence, services, blob storage and background jobs. No Flask here."""
