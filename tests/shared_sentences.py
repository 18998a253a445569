"""Essays whose sections share a sentence (issue: a shared sentence raced in the synthesis cache)."""

from __future__ import annotations

REFRAIN = "And so the music played on through the night, as it always had."
_WORDS = "the river bright city morning quiet window letter garden winter summer old young song road light".split()


def _sentences(section: int, count: int) -> list[str]:
    """`count` distinct sentences of their own for a section (deterministic)."""
    out = []
    for i in range(count):
        words = [_WORDS[(section * 7 + i * 3 + k * 5) % len(_WORDS)] for k in range(6)]
        out.append(f"{' '.join(words).capitalize()} number {section * 100 + i}.")
    return out


def essay(variant: str, sections: int = 4, own: int = 12) -> str:
    """An essay: "opens" (each section begins with the refrain), "ends" (each ends with it),
    "heading" (two sections titled "Intermission", and the first heading repeats the title)."""
    titles = [f"Part {n}" for n in range(1, sections + 1)]
    book_title = "The Refrain"
    if variant == "heading":
        titles[1] = titles[3 % sections] = "Intermission"
        titles[0] = book_title
    parts = [book_title, ""]
    for n, title in enumerate(titles, 1):
        body = _sentences(n, own)
        if variant == "opens":
            body = [REFRAIN, *body]
        elif variant == "ends":
            body = [*body, REFRAIN]
        parts += [f"{n}. {title}", "", " ".join(body), ""]
    return "\n".join(parts)
