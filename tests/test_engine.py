import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_tests_run_on_the_engine_asked_for(engine):
    assert connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[engine]
    if engine == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version_num')::int")
            assert cursor.fetchone()[0] >= 150000  # Django 6.1 needs PostgreSQL 15 or later
            # The plan tests (tests/test_query_plans.py) are only worth what production would plan: the site's own
            # connection settings (config.settings.POSTGRES_OPTIONS).
            cursor.execute("SELECT current_setting('jit'), current_setting('random_page_cost'), current_setting('work_mem')")
            assert cursor.fetchone() == ("off", "1.1", "32MB")
