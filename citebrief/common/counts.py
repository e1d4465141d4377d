"""A count with its noun in the number it takes: '1 line', '2 lines', '0 lines'.

Every message and reader-facing sentence that states a count goes through ``counted`` (or
``noun_for`` when the count is written elsewhere), so none says '1 lines'."""


def noun_for(count: int, noun: str, plural: str | None = None) -> str:
    """``noun`` in the number ``count`` takes ('page' for 1, 'pages' otherwise); ``plural``
    for a noun that does not take 's' ('entry', 'entries')."""
    return noun if count == 1 else plural or noun + "s"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and its noun: '1 warning', '2 warnings'."""
    return f"{count} {noun_for(count, noun, plural)}"
