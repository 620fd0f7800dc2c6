import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_tests_run_on_the_engine_asked_for(engine):
    assert connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[engine]
    if engine == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version_num')::int")
            assert cursor.fetchone()[0] >= 150000  # Django 6.1 needs PostgreSQL 15 or later
