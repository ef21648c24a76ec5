"""Demo-data seeders, one module per app, called in order by the ``demo`` management command.

Each seeder is idempotent: it looks up what already exists before creating anything, so ``manage.py demo``
can run again on a loaded base without duplicating data.
"""
