"""Documentation that must not drift from the code."""

from __future__ import annotations

import ast

from conftest import ROOT

from factsheet.inputs import schema


def test_content_reference_is_generated_from_the_schema() -> None:
    assert (ROOT / "docs" / "content.md").read_text(encoding="utf-8") == schema.markdown(), (
        "docs/content.md is stale: run python -m factsheet.inputs.schema > docs/content.md"
    )


def test_every_schema_key_is_described() -> None:
    keys = [
        k for keys in (*schema.OBJECTS.values(), *schema.WORKBOOK_OBJECTS.values()) for k in keys
    ]
    assert all(k.doc.strip().endswith((".", ")")) for k in [*keys, *schema.BLOCKS])


# Calls whose argument is a message a user can meet: ``Problem(where, message)``, the error
# classes, ``fail(..., message)`` of the content and workbook checkers, and, in resolve.py,
# the LookupErrors that become ``placeholder {...}: message``.
_MESSAGE_CALLS = {
    "Problem",
    "FactsheetError",
    "InputError",
    "ContentError",
    "WorkbookError",
    "FontError",
    "RenderError",
    "MarkupError",
    "AreaMissing",
    "fail",
}


def _literal_parts(node: ast.AST, constants: dict[str, str]) -> list[str]:
    """The literal text of a message expression: string constants, the literal parts of
    f-strings, both sides of ``+``, both branches of ``a if c else b``, module constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [p for value in node.values for p in _literal_parts(value, constants)]
    if isinstance(node, ast.FormattedValue):
        return _literal_parts(node.value, constants) if isinstance(node.value, ast.Name) else []
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left, constants) + _literal_parts(node.right, constants)
    if isinstance(node, ast.IfExp):
        return _literal_parts(node.body, constants) + _literal_parts(node.orelse, constants)
    if isinstance(node, ast.Name):
        return [constants[node.id]] if node.id in constants else []
    return []


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _message_node(call: ast.Call, module: str) -> ast.AST | None:
    name = _call_name(call)
    if not call.args:
        return None
    if name == "Problem":
        return call.args[1] if len(call.args) > 1 else None
    if name == "fail":
        return call.args[-1]
    if name in _MESSAGE_CALLS or (name == "LookupError" and module == "resolve.py"):
        return call.args[0]
    return None


def code_messages() -> list[tuple[str, list[str]]]:
    """(``module:line``, the literal parts of the message) for every user message in
    factsheet/*.py: the arguments of the calls above, and the strings returned by the
    message-making functions (``*_problem``, ``_reason``)."""
    found = []
    for path in sorted((ROOT / "factsheet").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        nodes: list[tuple[int, ast.AST]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                message = _message_node(node, path.name)
                if message is not None:
                    nodes.append((node.lineno, message))
            elif isinstance(node, ast.FunctionDef) and (
                node.name.endswith("_problem") or node.name == "_reason"
            ):
                nodes += [
                    (ret.lineno, ret.value)
                    for ret in ast.walk(node)
                    if isinstance(ret, ast.Return) and ret.value is not None
                ]
        for line, message in nodes:
            parts = [" ".join(p.split()) for p in _literal_parts(message, constants)]
            parts = [p for p in parts if sum(c.isalnum() for c in p) >= 3]
            if parts:
                found.append((f"{path.name}:{line}", parts))
    return found


def test_every_error_message_is_documented() -> None:
    documented = " ".join((ROOT / "docs" / "errors.md").read_text(encoding="utf-8").split())
    messages = code_messages()
    assert len(messages) > 80  # the scan finds the messages at all
    missing = [
        f"{place}: {part!r}"
        for place, parts in messages
        for part in parts
        if part not in documented
    ]
    assert not missing, "messages missing from docs/errors.md:\n" + "\n".join(missing)


def test_the_message_scan_sees_f_strings_and_constants() -> None:
    tree = ast.parse('Problem(w, f"unknown area code {code!r}" + HINT)')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    message = _message_node(call, "workbook.py")
    assert message is not None
    assert _literal_parts(message, {"HINT": "; quote it"}) == ["unknown area code ", "; quote it"]


def test_the_readme_module_map_names_every_module() -> None:
    """CONTRIBUTING says the README's map lists every module: a new module goes in it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## How it works") : text.index("More: [docs/content.md]")]
    package = ROOT / "factsheet"
    missing = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path.stem != "__init__" and f"`{path.stem}" not in section
    ]
    assert not missing, f"modules not in README's module map: {missing}"
