"""Pure matching package: partner scoring, assignment, consortia, twin cities.

Imports neither the web layer, the database nor :mod:`appraisal`; scores come in as data.
"""
