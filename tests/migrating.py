"""Moving the test database to a migration and back, for the data migrations' tests."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets``; the apps of that state, to read and write its models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Whatever the test migrates to, the database ends at the latest migrations again,
    so the tests after it see the whole schema."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
