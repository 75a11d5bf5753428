"""A pytest plugin loaded before Django is set up (``-p tests.data_dir`` in
pyproject.toml): the tests' database, index and keys go to a throwaway data
directory, never to var/ where `make run` keeps the archive. Set from
conftest.py it was too late: pytest-django reads the settings first."""

import os
import shutil
import tempfile

os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True)
