"""Draw static/description/icon.png (run with the Odoo virtualenv python, which has Pillow)."""

from pathlib import Path

from PIL import Image, ImageDraw

S = 1024  # drawn large, then downsampled for smooth edges
PURPLE, TEAL, WHITE = (113, 75, 103, 255), (0, 160, 157, 255), (255, 255, 255, 255)
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle((0, 0, S - 1, S - 1), radius=190, fill=PURPLE)
# a person: head and shoulders
cx = 400
d.ellipse((cx - 125, 260, cx + 125, 510), fill=WHITE)
d.pieslice((cx - 250, 570, cx + 250, 1050), 180, 360, fill=WHITE)
# signal waves reaching out to the person
ox, oy = 640, 380
d.ellipse((ox - 40, oy - 40, ox + 40, oy + 40), fill=TEAL)
for r in (125, 210, 295):
    d.arc(
        (ox - r, oy - r, ox + r, oy + r),
        start=-70,
        end=20,
        fill=TEAL if r == 295 else WHITE,
        width=52,
    )
img.resize((256, 256), Image.LANCZOS).save(
    Path(__file__).parent.parent / "static/description/icon.png", optimize=True
)
