"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in `make fuzz`.

Hypothesis names a filter's lambda by parsing the source file it comes from (`ast.parse`). With
schemathesis' worker threads, CPython 3.11 can fail parsing in several threads at once with
"SystemError: AST constructor recursion depth mismatch", which schemathesis reports as an error of
whatever operation it was generating. Naming lambdas one thread at a time removes that noise; the
generated cases and checks are unchanged.
"""

import threading

from hypothesis.internal import lambda_sources

_describe = lambda_sources.lambda_description
_one_at_a_time = threading.Lock()


def _lambda_description(f):
    with _one_at_a_time:
        return _describe(f)


lambda_sources.lambda_description = _lambda_description
