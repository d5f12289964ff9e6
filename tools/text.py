"""Text normalisation shared by the reply keywords, auto-reply subjects and month names."""

import unicodedata


def normalize_text(text):
    """Lower case, accents stripped, typographic apostrophes made plain: the form every
    keyword, subject marker and month name of this module is written in."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("\u2019", "'")
