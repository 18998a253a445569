"""The pronunciation lexicon: narrate.toml's [lexicon] words respelled as they should sound.

A key in lower case matches the word in any capitalisation ("mia" matches "Mia" and
"MIA"); a key with a capital matches only that exact spelling ("US" leaves "us" alone).
When both match, the exact one wins. Keys match whole words (or phrases) of the scripts'
text, never parts of words. The lexicon is applied when a build sends text to the engine,
not written into the scripts.

A spoken form wrapped in slashes is a phoneme override in misaki's alphabet (the one the
hibari and Kokoro voices read), "Chazelle" = "/ʃəzˈɛl/": it reaches the engine as
misaki's inline markup `[Chazelle](/ʃəzˈɛl/)`; engines that read only text say the word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

Lexicon = tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=8)
def _compile(lexicon: Lexicon) -> Callable[[str], str]:
    exact = {word: spoken for word, spoken in lexicon if word != word.lower()}
    folded = {word: spoken for word, spoken in lexicon if word == word.lower()}
    # Longest first, so "La La Land" wins over "La"; lookarounds instead of \b allow keys like "C++".
    alternatives = sorted({re.escape(word) for word, _ in lexicon}, key=len, reverse=True)
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)

    def repl(m: re.Match) -> str:
        word = m.group(0)
        spoken = exact.get(word, folded.get(word.lower()))
        if spoken is None:  # a capitalised key met another capitalisation: not ours
            return word
        if len(spoken) > 2 and spoken[0] == spoken[-1] == "/":
            return f"[{word}]({spoken})"
        if word in exact:
            return spoken
        # "sebastian" respelled at a sentence's start keeps its capital.
        return spoken[0].upper() + spoken[1:] if word[:1].isupper() and spoken[:1].islower() else spoken

    return lambda text: pattern.sub(repl, text)


def respell(text: str, lexicon: Lexicon) -> str:
    """The text with every lexicon word replaced by its spoken form.

    Args:
        text: text about to be synthesized.
        lexicon: (word, spoken form) pairs, as `Config.lexicon` holds them.

    Returns:
        The text the engine should read; unchanged when no entry matches.
    """
    return _compile(lexicon)(text) if lexicon else text
