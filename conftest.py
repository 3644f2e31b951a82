"""Root pytest configuration: applies to tests/ and to the notebooks nbval runs.

Every test session gets its own ILCS_HOME (profile, SQLite answer store, packs), so a test
run never touches a real user's data; notebook kernels inherit it through the environment.
"""

import os
import tempfile

if "ILCS_HOME" not in os.environ or os.environ.get("ILCS_TEST_KEEP_HOME") != "1":
    os.environ["ILCS_HOME"] = tempfile.mkdtemp(prefix="ilcs-test-home-")
os.environ.pop("ILCS_DATABASE_URL", None)  # tests choose their store explicitly
