"""A model field that keeps personal identifiers encrypted at rest (SM4-GCM, see crypto.py).

Python code sees the plain value; the database column only ever holds ciphertext. Equality
lookups on the column are refused because every encryption is randomised: search goes through
the blind-index column that sits beside it.
"""

from django.core.exceptions import FieldError
from django.db import models

from jiedu.common import crypto


class EncryptedTextField(models.TextField):
    def __init__(self, *args, context: str, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(value, context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise FieldError(f"{self.name} is encrypted: search its blind index instead of '{lookup_name}'")
        return super().get_lookup(lookup_name)
