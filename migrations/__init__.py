"""Alembic migrations for alignwatch (shipped as a package so installed copies can migrate)."""
