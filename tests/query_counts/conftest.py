"""The route walker of the all-routes web tests (tests/web/web_routes.py) is shared with these tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
