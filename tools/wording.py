"""Natural wording of outreach templates: the English indefinite article, the first name."""

import re

# words starting with a vowel letter but a consonant sound ("a university", "a one-off")
_CONSONANT_SOUND = re.compile(r"^(uni|use|usu|ura|ure|uro|eu|ewe|one|once|ubi|uga|uku)", re.I)
# words starting with a silent h ("an hour", "an honest")
_VOWEL_SOUND = re.compile(r"^(hour|honest|honou?r|heir)", re.I)
# letters read as a name starting with a vowel sound in an acronym ("an SRE", "an ML engineer")
_VOWEL_LETTERS = set("AEFHILMNORSX")


def indefinite_article(phrase):
    """'a' or 'an' for an English noun phrase: 'an Experienced Developer', 'a UX Designer'."""
    word = (phrase or "").strip().split(" ", 1)[0].strip("\"'(")
    if not word:
        return "a"
    if word.isupper() and len(word) <= 5 and word.isalpha():
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    if _VOWEL_SOUND.match(word):
        return "an"
    if word[0] in "aeiouAEIOU" and not _CONSONANT_SOUND.match(word):
        return "an"
    return "a"


def with_indefinite_article(phrase):
    """The phrase after its article: 'an Experienced Developer'."""
    phrase = (phrase or "").strip()
    return f"{indefinite_article(phrase)} {phrase}" if phrase else ""


def first_name(full_name):
    """The first name of a full name: 'Ada' for 'Ada Lovelace' and for 'Lovelace, Ada'."""
    name = (full_name or "").strip()
    if "," in name:
        last, _sep, rest = name.partition(",")
        name = rest.strip() or last.strip()
    return name.split()[0] if name else ""
