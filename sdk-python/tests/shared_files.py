"""Files the Python tests share with the rest of the repository, read in place (never copied)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO = PACKAGE_DIR.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def sdk_json(name: str) -> Any:
    """One of the Node SDK's published JSON files, e.g. test-vectors.json."""
    with open(REPO / "sdk" / name, encoding="utf-8") as file:
        return json.load(file)
