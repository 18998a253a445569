"""Text cut into pieces of at most so many characters, at clause boundaries where it can be; nothing is ever dropped.

One splitter for every limit narrate meets: a synthesis unit's length (script), a request gTTS sends whole,
the phonemes Kokoro takes at once. A clause longer than the limit is cut between words, and a word longer
than the limit (a URL, say) inside itself, so the pieces joined with spaces give back every character.
"""

from __future__ import annotations

import re


def split(text: str, limit: int, boundary: re.Pattern[str] | None = None, even: bool = False) -> list[str]:
    """`text` in pieces of at most `limit` characters (whole, if it fits).

    Args:
        text: what to cut.
        limit: the longest piece.
        boundary: where clauses meet (the whitespace it matches is dropped); None cuts between words only.
        even: cut as few clauses and make as few pieces as can be, then the most even ones (a request
            apiece, say); otherwise fill each piece in turn as far as it goes.

    Returns:
        The pieces, in order; joined with single spaces they give `text` with its whitespace at the cuts
        made single.
    """
    if len(text) <= limit:
        return [text]
    atoms: list[tuple[str, bool]] = []  # (text, a clause ends after it)
    for clause in boundary.split(text) if boundary is not None else [text]:
        if len(clause) <= limit:
            if clause:
                atoms.append((clause, True))
            continue
        words = [w[i : i + limit] for w in clause.split() for i in range(0, len(w), limit)]
        atoms.extend((w, i == len(words) - 1) for i, w in enumerate(words))
    return _evenly(atoms, limit) if even else _filled(atoms, limit)


def _filled(atoms: list[tuple[str, bool]], limit: int) -> list[str]:
    """Each piece filled with atoms as far as the limit lets."""
    out, current = [], ""
    for atom, _ in atoms:
        if current and len(current) + 1 + len(atom) > limit:
            out.append(current)
            current = atom
        else:
            current = f"{current} {atom}" if current else atom
    return [*out, current] if current else out


def _evenly(atoms: list[tuple[str, bool]], limit: int) -> list[str]:
    """Fewest cuts inside a clause, then fewest pieces, then the most even lengths."""
    best: list[tuple[tuple[int, int, int], int]] = [((0, 0, 0), 0)]
    for end in range(1, len(atoms) + 1):
        choice: tuple[tuple[int, int, int], int] | None = None
        length = -1
        for start in range(end - 1, -1, -1):
            length += len(atoms[start][0]) + 1
            if length > limit:
                break
            (cuts, count, slack), _ = best[start]
            mid_clause = 0 if atoms[end - 1][1] or end == len(atoms) else 1
            cost = (cuts + mid_clause, count + 1, slack + (limit - length) ** 2)
            if choice is None or cost < choice[0]:
                choice = (cost, start)
        assert choice is not None  # every atom fits the limit alone
        best.append(choice)
    out, end = [], len(atoms)
    while end:
        start = best[end][1]
        out.append(" ".join(a for a, _ in atoms[start:end]))
        end = start
    return out[::-1]
