"""The error answers every endpoint can give, written into the OpenAPI schema (API-01: no drift).

drf-spectacular documents only the success answer of each operation; a client (and schemathesis'
status_code_conformance check) would then meet undocumented 400/401/403/404/409/429 answers. This
postprocessing hook adds them where the API really gives them, never overriding an answer an
endpoint documents itself (e.g. the release refusal's own 400 schema):

- 400 when the operation reads a body or query parameters (field errors, or ``detail`` for a body
  that cannot be parsed); 401 and 403 on every operation that needs credentials (no or a bad token;
  a role without the action, or a session write without its CSRF token);
- 404 when the path names a record (not visible counts as not found) or a ``page`` can run past the end;
- 409 on writes (a business rule in conflict, e.g. a room already taken); on writes whose input
  carries the record's ``version`` (``api.versions``), 409 also answers a stale version, with the
  record as it is now under ``current`` (the operation's own 200 schema). A PATCH there requires
  ``version`` like a PUT does, and the schema says so;
- 429 with Retry-After on searches (``common/rate_limits.py``).

Every POST also documents the optional ``Idempotency-Key`` header and its 422 (``api/idempotency.py``).
"""

from __future__ import annotations

from jiedu.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jiedu.api.idempotency import MAX_KEY_LENGTH, REPLAYED_HEADER
from jiedu.common.rate_limits import SEARCH_PARAMETERS

WRITE_METHODS = {"post", "put", "patch", "delete"}
EMPTY = {"type": "string", "enum": [""], "description": "Empty: as if the parameter were not given."}
HTTP_METHODS = WRITE_METHODS | {"get", "head", "options", "trace"}

COMPONENTS = "#/components/schemas/"
ERROR_DETAIL = "ErrorDetail"
VALIDATION_ERRORS = "ValidationErrors"
SCHEMAS = {
    ERROR_DETAIL: {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "A refusal with one message, in the request's language.",
    },
    VALIDATION_ERRORS: {
        "type": "object",
        "description": (
            "Field name → list of messages; `non_field_errors` for the request as a whole; "
            "`detail` when the body cannot be parsed. Nested inputs nest the same way."
        ),
    },
}


def _answer(description: str, schema: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": {"$ref": f"{COMPONENTS}{schema}"}}}}
    if headers:
        answer["headers"] = headers
    return answer


def _request_schema(operation: dict, schemas: dict) -> dict:
    """The component the operation's body refers to (JSON or multipart alike), or {}."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref.startswith(COMPONENTS):
            return schemas.get(ref.removeprefix(COMPONENTS), {})
    return {}


def _takes_version(operation: dict, schemas: dict) -> bool:
    """The body carries a record's version (a number; a catalogue's ``version`` is its name)."""
    version = _request_schema(operation, schemas).get("properties", {}).get("version", {})
    return version.get("type") == "integer"


def _stale_answer(operation: dict) -> dict:
    current = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    stale = {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "current": current.get("schema", {"type": "object"})},
        "required": ["detail", "current"],
        "description": "The record changed after the version sent: nothing was saved; `current` is the record now.",
    }
    schema = {"anyOf": [stale, {"$ref": f"{COMPONENTS}{VALIDATION_ERRORS}"}]}
    return {
        "description": "The record was changed by someone else since the version sent (or a business rule refused).",
        "content": {"application/json": {"schema": schema}},
    }


def _require_version_on_patch(method: str, operation: dict, schemas: dict) -> None:
    """DRF makes every field of a PATCH optional; ``version`` is required there all the same."""
    component = _request_schema(operation, schemas)
    if method == "patch" and _takes_version(operation, schemas):
        required = component.setdefault("required", [])
        if "version" not in required:
            required.append("version")


def _error_answers(path: str, method: str, operation: dict, schemas: dict) -> dict[str, dict]:
    names = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
    answers = {}
    if "requestBody" in operation or names:
        answers["400"] = _answer("The input was refused; the messages say why, field by field.", VALIDATION_ERRORS)
    if operation.get("security") and {} not in operation["security"]:
        answers["401"] = _answer("No credentials, or a token that is not valid.", ERROR_DETAIL)
    answers["403"] = _answer(
        "The caller's role does not allow this, or a session write came without its CSRF token.", ERROR_DETAIL
    )
    if "{" in path or "page" in names:
        answers["404"] = _answer("No such record visible to the caller, or a page past the last.", ERROR_DETAIL)
    if method in WRITE_METHODS and _takes_version(operation, schemas):
        answers["409"] = _stale_answer(operation)
    elif method in WRITE_METHODS:
        answers["409"] = _answer("A business rule refused the change in the current state.", VALIDATION_ERRORS)
    if method == "get" and names & set(SEARCH_PARAMETERS):
        retry_after = {"Retry-After": {"description": "Seconds to wait before searching again.", "schema": {"type": "integer"}}}
        answers["429"] = _answer("Too many searches by this user in a short time.", ERROR_DETAIL, retry_after)
    return answers


IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
    "description": (
        "A key the client chooses per submission (a UUID). A retry with the same key and body returns the "
        f"first answer again, with `{REPLAYED_HEADER}: true`, and creates nothing; the same key with another "
        "body is 422. Kept JIEDU_IDEMPOTENCY_KEY_DAYS days (default 7)."
    ),
}


def _document_idempotency(operation: dict) -> None:
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("name") == IDEMPOTENCY_HEADER for p in parameters):
        parameters.append(dict(IDEMPOTENCY_PARAMETER))
    # A malformed key is refused field by field, even on an action that reads no body.
    operation["responses"].setdefault(
        "400", _answer("The input was refused; the messages say why, field by field.", VALIDATION_ERRORS)
    )
    operation["responses"].setdefault(
        "422", _answer("This Idempotency-Key was already used for a different request.", ERROR_DETAIL)
    )


def _document_empty_values(operation: dict) -> None:
    """An empty query parameter (``?status=``, ``?day=``) means "not given", as django-filter and the
    paginator read it: say so, so the schema matches what the API accepts."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") != "query" or not schema:
            continue
        if "enum" in schema:
            if "" not in schema["enum"]:
                schema["enum"] = [*schema["enum"], ""]
        elif schema.get("type") != "string" or "format" in schema:
            parameter["schema"] = {"anyOf": [schema, EMPTY]}


def document_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            _require_version_on_patch(method, operation, schemas)
            responses = operation.setdefault("responses", {})
            for status, answer in _error_answers(path, method, operation, schemas).items():
                responses.setdefault(status, answer)
            if method == "post":
                _document_idempotency(operation)
            _document_empty_values(operation)
    return result
