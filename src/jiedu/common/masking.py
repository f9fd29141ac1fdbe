"""Server-side masking of personal identifiers, for every role without the reveal permission."""


def mask_id_number(value: str | None) -> str:
    """First 6 + 8 asterisks + last 4: the county stays readable, the birth date does not."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    """138****5678 for an 11-digit mobile; other lengths keep 3 + 4 at most around the stars."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
