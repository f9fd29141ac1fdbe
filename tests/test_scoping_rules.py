"""Interfaces (views, API, forms, page helpers) reach facility-owned rows only through scoping.

Every ``Model.objects`` chain in those modules must pass through ``visible_to(...)``, end in
``none()``, or be handed to ``get_visible_or_404`` (which applies ``visible_to`` itself).
"""

import ast
from pathlib import Path

import jiedu

INTERFACE_MODULES = {"views.py", "api.py", "forms.py", "pages.py", "base.py", "context_processors.py"}
UNSCOPED_MODELS = {"Bureau", "User"}  # region-wide tables with no facility key
SRC = Path(jiedu.__file__).parent


def _chain_is_scoped(node, parents) -> bool:
    current = node
    while True:
        parent = parents.get(current)
        if isinstance(parent, ast.Attribute) and parent.attr in {"visible_to", "none"}:
            return True
        if isinstance(parent, ast.Call):
            func = parent.func
            if isinstance(func, ast.Name) and func.id == "get_visible_or_404" and parent.args and parent.args[0] is current:
                return True
        if not isinstance(parent, (ast.Attribute, ast.Call, ast.IfExp)):
            return False
        current = parent


def _violations(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "?")
            if name in UNSCOPED_MODELS:
                continue
            if not _chain_is_scoped(node, parents):
                yield f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(parents.get(node, node))}"


def test_interfaces_query_facility_owned_models_only_through_scoping():
    modules = [p for p in SRC.rglob("*.py") if p.name in INTERFACE_MODULES and "migrations" not in p.parts]
    assert len(modules) >= 6
    found = [v for path in modules for v in _violations(path)]
    assert found == []


def test_the_rule_catches_an_unscoped_query(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def view(request, pk):\n    return Resident.objects.get(pk=pk)\n")
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        assert list(_violations(sample)) != []
    finally:
        SRC = saved
