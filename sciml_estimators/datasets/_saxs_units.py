"""q units of SAXS files: parsing a column's own unit text, and combining it with ``q_unit``.

Only text that belongs to the q column is parsed (a column header that names
q, a ``unit`` attribute of a Q element or dataset): a header such as
"sample position A-1" or "I (1/a.u.)" says nothing about q.
"""

import re

#: q[1/A] = q[unit] * factor.
TO_INV_ANGSTROM = {"1/A": 1.0, "1/nm": 0.1}

_NM = re.compile(
    r"1/nm(?![a-z])|(?<![a-z])nm(?:\^|\*\*)?-1(?![0-9])"
    r"|1/nanomet(?:er|re)s?|inverse ?nanomet(?:er|re)s?|nanomet(?:er|re)s?(?:\^|\*\*)?-1"
)
_ANGSTROM = re.compile(
    r"1/(?:angstroem|angstrom|ang|a)s?(?![a-z.])"
    r"|(?<![a-z])(?:angstroem|angstrom|ang|a)s?(?:\^|\*\*)?-1(?![0-9])"
    r"|inverse ?angstrom"
)
PER_CM = re.compile(r"1/cm(?![a-z])|(?<![a-z])cm(?:\^|\*\*)?-1(?![0-9])")

#: A column header that starts with the q column: ``q``, ``Q(1/A)``, ``<X>``.
_Q_COLUMN = re.compile(r"^#*\s*(?:q|<x>)(?![a-z0-9])(?P<rest>.*)$", re.IGNORECASE)
#: Where the q column's header text ends: the name of the next column.
_NEXT_COLUMN = re.compile(
    r"(?:^|[\s,;])(?:i|intensity|<y>|y|di|err|sigma|ds?igma)(?![a-z])", re.IGNORECASE
)


def normalise(text):
    """Lower-case ``text`` with Angstrom signs, superscripts and spaces made plain."""
    for old, new in [("\u212b", "a"), ("\u00c5", "a"), ("\u00e5", "a"), ("\u00f6", "o")]:
        text = text.replace(old, new)
    text = text.replace("\u207b\u00b9", "^-1").replace("\u207b", "^-").replace("\u00b9", "1")
    text = text.replace("_", "")  # Anton Paar writes n_m^-1
    text = re.sub(r"\s*([/^*\-])\s*", r"\1", text.lower())
    return re.sub(r"\s+", " ", text)


def parse_q_unit(text):
    """Return ``"1/A"``, ``"1/nm"`` or None for the q unit written in ``text``.

    Recognises forms such as ``1/A``, ``A^-1``, ``A-1``, ``1/angstrom``,
    ``Å⁻¹``, ``1/nm``, ``nm^-1``, ``nm-1`` and ``n_m^-1``, anywhere in the
    text, which must be the q column's own unit text. Text that names both
    units gives ``"ambiguous"``.
    """
    text = normalise(text)
    found = {unit for unit, regex in [("1/nm", _NM), ("1/A", _ANGSTROM)] if regex.search(text)}
    if len(found) > 1:
        return "ambiguous"
    return found.pop() if found else None


def split_column_header(line):
    """The q column's and the other columns' text of a column header line, or None.

    ``"# q (1/nm)  I (1/cm)  dI"`` gives ``(" (1/nm)", "I (1/cm)  dI")``; a
    line that does not start with the q column's name gives None.
    """
    match = _Q_COLUMN.match(line.strip())
    if match is None:
        return None
    rest = match.group("rest")
    following = _NEXT_COLUMN.search(rest)
    cut = following.start() if following else len(rest)
    return rest[:cut], rest[cut:]


def resolve_unit(found, given, path, where):
    """Combine the unit found in the file (or None) with the ``q_unit`` argument.

    Returns the unit and its source, ``"file"`` or ``"argument"``.
    """
    if found == "ambiguous":
        raise ValueError(
            f"{path}: {where} names both 1/A and 1/nm; pass q_unit='1/A' or q_unit='1/nm'."
        )
    if found is None and given is None:
        raise ValueError(
            f"{path}: the q unit could not be detected ({where}); "
            "pass q_unit='1/A' or q_unit='1/nm'."
        )
    if found is not None and given is not None and found != given:
        raise ValueError(f"{path}: {where} states q in {found} but q_unit={given!r} was passed.")
    return (found or given), ("file" if found else "argument")


def unit_attribute(value, path, field):
    """The q unit of a ``unit``/``units`` attribute; None when empty, an error when not a q unit."""
    if not value:
        return None
    unit = parse_q_unit(str(value))
    if unit is None:
        raise ValueError(
            f"{path}: {field} unit={value!r} is not a recognised q unit (1/A or 1/nm)."
        )
    return unit
