"""Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, the tone
marks deciding only between otherwise equal words (a à ả ã á ạ), as dictionaries and official
lists sort. The databases' default collations put "Đ" after "Z" and "Ă" after "A…z"."""
import unicodedata

_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn: letters of their own
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô",
             "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_RANK = {letter: 1000 + i for i, letter in enumerate(_ALPHABET)}
_COMPOSED = {("e", "\u0302"): "ê", ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
             ("a", "\u0306"): "ă", ("a", "\u0302"): "â"}


def _rank(char: str) -> int:
    """Spaces, digits and punctuation before letters; other scripts after the Vietnamese alphabet."""
    return _RANK.get(char, 2000 + ord(char) if char.isalpha() else ord(char))


def sort_key(text: str) -> tuple:
    """A key for `sorted`: letters first, tones second, case last."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _TONES:
            tones[-1:] = [_TONES[char]] if tones else []
        elif char in _LETTER_MARKS and letters:
            base = letters.pop()
            letter = _COMPOSED.get((base[1], char), base[1])
            letters.append((_rank(letter), letter))
        else:
            letters.append((_rank(char), char))
            tones.append(0)
    return tuple(rank for rank, _ in letters), tuple(tones), text
