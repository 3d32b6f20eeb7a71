"""newapi's schema steps as tortoise-orm native migrations (app label ``newapi``).

Every module here that does not start with ``_`` is a migration (tortoise's loader imports
them all); the README explains how they adopt One API and New API databases.
"""
