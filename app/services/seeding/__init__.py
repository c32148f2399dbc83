"""Loading the seeds/ CSV files into the database, idempotently and in one transaction."""

from app.services.seeding.runner import SeedReport, seed_database

__all__ = ["SeedReport", "seed_database"]
