"""Header clean-up: every column gets a usable, unique name; the original stays in the schema."""


def clean_names(originals: list[str]) -> list[str]:
    """Trim whitespace; a blank name becomes column_N (N = 1-based position); a repeated name gets _2, _3...

    Names are compared case-insensitively, because SQL (and DuckDB) treat "Name" and "name" as the same
    column. A suffix never takes a name that appears elsewhere in the header.
    """
    trimmed = [name.strip() or f"column_{position}" for position, name in enumerate(originals, start=1)]
    taken = {name.lower() for name in trimmed}
    used: set[str] = set()
    cleaned = []
    for name in trimmed:
        candidate, suffix = name, 1
        while candidate.lower() in used or (suffix > 1 and candidate.lower() in taken):
            suffix += 1
            candidate = f"{name}_{suffix}"
        used.add(candidate.lower())
        cleaned.append(candidate)
    return cleaned
