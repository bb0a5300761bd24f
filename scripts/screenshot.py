#!/usr/bin/env python3
"""Render a tmux pane to a PNG that a person would accept as a screenshot.

    scripts/screenshot.py --socket NAME --target SESSION --out Screenshots/x.png
    scripts/screenshot.py --input pane.ansi --size 120x40 --out x.png   (a saved `capture-pane -p -e`)

The pane's cells come from `tmux capture-pane -p -e` (text with SGR colours) and its size and
cursor from `tmux display -p`. They are replayed into a pyte screen of exactly the pane's size
and drawn cell by cell: colours from the 256-colour palette, bold, reverse, underline, dim;
wide (CJK) cells across two cells in a CJK font; box-drawing and block characters drawn as
lines and rectangles so borders join; colour emoji when Noto Color Emoji is installed.

Needs: Python 3, PyPI `pyte` and `pillow`; Debian `fonts-dejavu-core` and
`fonts-wqy-microhei` (optional: `fonts-noto-color-emoji` for emoji in colour).
"""

import argparse
import os
import re
import subprocess
import sys
import time

try:
    import pyte
    from PIL import Image, ImageDraw, ImageFont
except ImportError as error:  # pragma: no cover - tells the person what to install
    sys.exit(f"screenshot.py needs the PyPI packages pyte and pillow ({error}): pip install pyte pillow")

FONT_DIRS = ["/usr/share/fonts/truetype", "/usr/share/fonts/opentype", "/usr/local/share/fonts", "/Library/Fonts"]
MONO = ["dejavu/DejaVuSansMono.ttf"]
MONO_BOLD = ["dejavu/DejaVuSansMono-Bold.ttf"]
CJK = ["wqy/wqy-microhei.ttc", "wqy/wqy-zenhei.ttc"]
SYMBOLS = ["dejavu/DejaVuSans.ttf", "ancient-scripts/Symbola_hint.ttf", "Symbola.ttf"]
EMOJI = ["noto/NotoColorEmoji.ttf"]

# The 16 basic colours (Tango, as in GNOME Terminal) and the default foreground/background.
BASIC = [
    "2e3436", "cc0000", "4e9a06", "c4a000", "3465a4", "75507b", "06989a", "d3d7cf",
    "555753", "ef2929", "8ae234", "fce94f", "729fcf", "ad7fa8", "34e2e2", "eeeeec",
]
DEFAULT_FG = "d3d7cf"
DEFAULT_BG = "1d1f21"
NAMES = ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"]


def find_font(candidates, required=True):
    for directory in FONT_DIRS:
        for name in candidates:
            path = os.path.join(directory, name)
            if os.path.exists(path):
                return path
    if required:
        sys.exit(
            f"screenshot.py cannot find any of {candidates} under {FONT_DIRS}: "
            "apt-get install fonts-dejavu-core fonts-wqy-microhei"
        )
    return None


def xterm_256():
    """The xterm 256-colour palette with our 16 basic colours first."""
    table = list(BASIC)
    steps = [0, 95, 135, 175, 215, 255]
    for r in steps:
        for g in steps:
            for b in steps:
                table.append(f"{r:02x}{g:02x}{b:02x}")
    for i in range(24):
        v = 8 + 10 * i
        table.append(f"{v:02x}{v:02x}{v:02x}")
    return table


PALETTE = xterm_256()
# pyte turns 38;5;n for n < 16 into xterm's own hex values; map those back to our basic colours.
PYTE_BASIC = {hexa: BASIC[i] for i, hexa in enumerate(pyte.graphics.FG_BG_256[:16])}


def colour(value, default):
    if value == "default":
        return default
    if value.startswith("bright") and value[6:] in NAMES:
        return BASIC[8 + NAMES.index(value[6:])]
    if value in NAMES:
        return BASIC[NAMES.index(value)]
    if re.fullmatch(r"[0-9a-fA-F]{6}", value):
        return PYTE_BASIC.get(value.lower(), value)
    return default


def rgb(hexa):
    return tuple(int(hexa[i : i + 2], 16) for i in (0, 2, 4))


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def remap_dim(text):
    """pyte ignores SGR 2 (dim); carry it in the blink attribute, which tmux panes never need."""

    def fix(match):
        params = match.group(1).split(";") if match.group(1) else ["0"]
        out, i = [], 0
        while i < len(params):
            p = params[i]
            if p in ("38", "48") and i + 1 < len(params):
                width = 3 if params[i + 1] == "5" else 5 if params[i + 1] == "2" else 1
                out.extend(params[i : i + width])
                i += width
                continue
            out.append({"2": "5", "22": "22;25", "5": "", "25": ""}.get(p, p))
            i += 1
        return "\x1b[" + ";".join(x for x in out if x != "") + "m"

    return SGR.sub(fix, text)


# Box drawing: (up, right, down, left) with 1 = light, 2 = heavy, 3 = double.
BOX = {}


def _box(chars, spec):
    for ch, weights in zip(chars, spec):
        BOX[ch] = weights


_box("─━│┃", [(0, 1, 0, 1), (0, 2, 0, 2), (1, 0, 1, 0), (2, 0, 2, 0)])
_box("┌┐└┘├┤┬┴┼", [(0, 1, 1, 0), (0, 0, 1, 1), (1, 1, 0, 0), (1, 0, 0, 1), (1, 1, 1, 0), (1, 0, 1, 1), (0, 1, 1, 1), (1, 1, 0, 1), (1, 1, 1, 1)])
_box("┏┓┗┛┣┫┳┻╋", [(0, 2, 2, 0), (0, 0, 2, 2), (2, 2, 0, 0), (2, 0, 0, 2), (2, 2, 2, 0), (2, 0, 2, 2), (0, 2, 2, 2), (2, 2, 0, 2), (2, 2, 2, 2)])
_box("═║╔╗╚╝╠╣╦╩╬", [(0, 3, 0, 3), (3, 0, 3, 0), (0, 3, 3, 0), (0, 0, 3, 3), (3, 3, 0, 0), (3, 0, 0, 3), (3, 3, 3, 0), (3, 0, 3, 3), (0, 3, 3, 3), (3, 3, 0, 3), (3, 3, 3, 3)])
_box("╭╮╰╯", [(0, 1, 1, 0), (0, 0, 1, 1), (1, 1, 0, 0), (1, 0, 0, 1)])
_box("┄┈╌┅┉╍┆┊╎┇┋╏", [(0, 1, 0, 1)] * 3 + [(0, 2, 0, 2)] * 3 + [(1, 0, 1, 0)] * 3 + [(2, 0, 2, 0)] * 3)
_box("╴╵╶╷", [(0, 0, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0)])

# Block elements as fractions of the cell: (x0, y0, x1, y1).
BLOCKS = {
    "█": (0, 0, 1, 1), "▀": (0, 0, 1, 0.5), "▄": (0, 0.5, 1, 1), "▌": (0, 0, 0.5, 1), "▐": (0.5, 0, 1, 1),
    "▁": (0, 7 / 8, 1, 1), "▂": (0, 6 / 8, 1, 1), "▃": (0, 5 / 8, 1, 1), "▅": (0, 3 / 8, 1, 1),
    "▆": (0, 2 / 8, 1, 1), "▇": (0, 1 / 8, 1, 1), "▏": (0, 0, 1 / 8, 1), "▎": (0, 0, 2 / 8, 1),
    "▍": (0, 0, 3 / 8, 1), "▋": (0, 0, 5 / 8, 1), "▊": (0, 0, 6 / 8, 1), "▉": (0, 0, 7 / 8, 1),
}
SHADES = {"░": 0.25, "▒": 0.5, "▓": 0.75}

# Control pictures (U+2400-U+2421), which Skiff shows for control bytes in payloads and which
# no Debian core font has: drawn as their abbreviation, small and on a diagonal.
CONTROL_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US SP DEL"
).split()
CONTROL_PICTURES = {chr(0x2400 + i): name for i, name in enumerate(CONTROL_NAMES)}


class Renderer:
    def __init__(self, font_size):
        self.mono = ImageFont.truetype(find_font(MONO), font_size)
        self.bold = ImageFont.truetype(find_font(MONO_BOLD, required=False) or find_font(MONO), font_size)
        self.cjk = ImageFont.truetype(find_font(CJK), font_size)
        symbols = find_font(SYMBOLS, required=False)
        self.symbols = ImageFont.truetype(symbols, font_size) if symbols else None
        emoji = find_font(EMOJI, required=False)
        self.emoji = ImageFont.truetype(emoji, 109) if emoji else None  # a bitmap font: 109 px only
        ascent, descent = self.mono.getmetrics()
        self.cell_w = round(self.mono.getlength("M"))
        self.cell_h = ascent + descent + 2
        self.baseline_pad = 1
        self.tiny = ImageFont.truetype(find_font(MONO), max(6, round(font_size * 0.5)))
        self.notdef = {}
        self.covered = {}
        self.emoji_cache = {}

    def has_glyph(self, font, ch):
        """Whether `font` has a glyph for `ch` (its mask differs from the missing-glyph box)."""
        key = (id(font), ch)
        if key not in self.covered:
            if id(font) not in self.notdef:
                self.notdef[id(font)] = bytes(font.getmask("\U0010fffd"))
            mask = font.getmask(ch)
            self.covered[key] = mask.size[0] > 0 and bytes(mask) != self.notdef[id(font)]
        return self.covered[key]

    def draw_box(self, draw, ch, x, y, w, h, fill):
        up, right, down, left = BOX[ch]
        cx, cy = x + w // 2, y + h // 2
        light = max(1, round(h / 18))
        widths = {1: light, 2: light * 2 + 1, 3: light}

        def seg(x0, y0, x1, y1, weight, horizontal):
            if weight == 0:
                return
            t = widths[weight]
            if weight == 3:  # double: two thin lines
                gap = max(2, light * 2)
                for off in (-gap, gap):
                    if horizontal:
                        draw.rectangle([x0, y0 + off - t // 2, x1, y0 + off + (t - 1) // 2 + (t - 1) % 2], fill=fill)
                    else:
                        draw.rectangle([x0 + off - t // 2, y0, x0 + off + (t - 1) // 2 + (t - 1) % 2, y1], fill=fill)
                return
            if horizontal:
                draw.rectangle([x0, y0 - t // 2, x1, y0 - t // 2 + t - 1], fill=fill)
            else:
                draw.rectangle([x0 - t // 2, y0, x0 - t // 2 + t - 1, y1], fill=fill)

        seg(x, cy, cx, cy, left, True)
        seg(cx, cy, x + w - 1, cy, right, True)
        seg(cx, y, cx, cy, up, False)
        seg(cx, cy, cx, y + h - 1, down, False)

    def draw_emoji(self, image, ch, x, y, w, h):
        if ch not in self.emoji_cache:
            size = self.emoji.getbbox(ch)
            glyph = Image.new("RGBA", (size[2] + 4, size[3] + 4), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((0, 0), ch, font=self.emoji, embedded_color=True)
            glyph = glyph.crop(glyph.getbbox() or (0, 0, 1, 1))
            scale = min(w / glyph.width, (h - 2) / glyph.height)
            self.emoji_cache[ch] = glyph.resize(
                (max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))), Image.LANCZOS
            )
        glyph = self.emoji_cache[ch]
        image.alpha_composite(glyph, (x + (w - glyph.width) // 2, y + (h - glyph.height) // 2))

    def render(self, screen, cursor=None, margin=8):
        width, height = screen.columns, screen.lines
        image = Image.new("RGBA", (width * self.cell_w + 2 * margin, height * self.cell_h + 2 * margin), rgb(DEFAULT_BG))
        draw = ImageDraw.Draw(image)
        for row in range(height):
            line = screen.buffer[row]
            col = 0
            while col < width:
                cell = line[col]
                ch = cell.data or " "
                wide = col + 1 < width and line[col + 1].data == "" and ch != " "
                span = 2 if wide else 1
                fg = colour(cell.fg, DEFAULT_FG)
                bg = colour(cell.bg, DEFAULT_BG)
                if cell.bold and cell.fg in NAMES:
                    pass  # bold is shown by weight, not by brightening
                if cell.reverse:
                    fg, bg = bg, fg
                fg_rgb, bg_rgb = rgb(fg), rgb(bg)
                if cell.blink:  # dim
                    fg_rgb = tuple((a + b) // 2 for a, b in zip(fg_rgb, bg_rgb))
                x, y = margin + col * self.cell_w, margin + row * self.cell_h
                w, h = self.cell_w * span, self.cell_h
                if bg != DEFAULT_BG:
                    draw.rectangle([x, y, x + w - 1, y + h - 1], fill=bg_rgb)
                first = ch[0]
                if first in BOX:
                    self.draw_box(draw, first, x, y, w, h, fg_rgb)
                elif first in BLOCKS:
                    x0, y0, x1, y1 = BLOCKS[first]
                    draw.rectangle([x + round(x0 * w), y + round(y0 * h), x + round(x1 * w) - 1, y + round(y1 * h) - 1], fill=fg_rgb)
                elif first in SHADES:
                    shade = tuple(round(b + (f - b) * SHADES[first]) for f, b in zip(fg_rgb, bg_rgb))
                    draw.rectangle([x, y, x + w - 1, y + h - 1], fill=shade)
                elif first in CONTROL_PICTURES:
                    self.draw_control_picture(draw, CONTROL_PICTURES[first], x, y, w, h, fg_rgb)
                elif ch != " ":
                    self.draw_text(image, draw, ch, x, y, w, h, fg_rgb, cell.bold, wide)
                if cell.underscore:
                    draw.line([x, y + h - 2, x + w - 1, y + h - 2], fill=fg_rgb)
                if cell.strikethrough:
                    draw.line([x, y + h // 2, x + w - 1, y + h // 2], fill=fg_rgb)
                col += span
        if cursor:
            cx, cy = cursor
            if 0 <= cx < width and 0 <= cy < height:
                x, y = margin + cx * self.cell_w, margin + cy * self.cell_h
                draw.rectangle([x, y, x + self.cell_w - 1, y + self.cell_h - 1], outline=rgb(DEFAULT_FG))
        return image.convert("RGB")

    def draw_control_picture(self, draw, name, x, y, w, h, fg):
        head, tail = name[: (len(name) + 1) // 2], name[(len(name) + 1) // 2 :]
        draw.text((x, y + 1), head, font=self.tiny, fill=fg)
        draw.text((x + w - self.tiny.getlength(tail), y + h // 2), tail, font=self.tiny, fill=fg)

    def draw_text(self, image, draw, ch, x, y, w, h, fg, bold, wide):
        first = ch[0]
        if self.emoji and (wide or "\ufe0f" in ch) and not self.has_glyph(self.cjk, first) and self.has_glyph(self.emoji, first):
            self.draw_emoji(image, ch, x, y, w, h)
            return
        for font in ([self.bold if bold else self.mono] if not wide else []) + [self.cjk, self.mono, self.symbols]:
            if font is not None and self.has_glyph(font, first):
                break
        else:
            # No font has it: a hollow box the size of the cell(s), never a shifted row.
            draw.rectangle([x + 2, y + 3, x + w - 3, y + h - 4], outline=fg)
            return
        text_w = font.getlength(ch)
        offset = max(0, (w - text_w) / 2) if wide or font is not self.mono and font is not self.bold else 0
        ascent, _ = self.mono.getmetrics()
        f_ascent, _ = font.getmetrics()
        draw.text((x + offset, y + self.baseline_pad + ascent - f_ascent), ch, font=font, fill=fg)


def tmux(socket, *args):
    result = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def load_screen(text, width, height):
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for row, line in enumerate(lines[:height]):
        # Position each row explicitly: the SGR state carries over from the previous row.
        stream.feed(f"\x1b[{row + 1};1H" + remap_dim(line))
    return screen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", help="tmux server socket name (tmux -L)")
    parser.add_argument("--target", help="tmux target pane, e.g. a session name")
    parser.add_argument("--input", help="a saved `capture-pane -p -e` instead of a live pane")
    parser.add_argument("--size", help="WxH of --input")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--font-size", type=int, default=16)
    options = parser.parse_args()

    started = time.monotonic()
    cursor = None
    if options.input:
        if not options.size:
            parser.error("--input needs --size WxH")
        width, height = (int(v) for v in options.size.lower().split("x"))
        with open(options.input, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    else:
        if not options.socket or not options.target:
            parser.error("--socket and --target (or --input and --size) are required")
        info = tmux(options.socket, "display-message", "-p", "-t", options.target,
                    "#{pane_width} #{pane_height} #{cursor_x} #{cursor_y} #{cursor_flag}").split()
        width, height = int(info[0]), int(info[1])
        if len(info) > 4 and info[4] == "1":
            cursor = (int(info[2]), int(info[3]))
        text = tmux(options.socket, "capture-pane", "-p", "-e", "-N", "-t", options.target)
    screen = load_screen(text, width, height)
    image = Renderer(options.font_size).render(screen, cursor)
    directory = os.path.dirname(options.out)
    if directory:
        os.makedirs(directory, exist_ok=True)
    image.save(options.out, optimize=True)
    print(f"{options.out}: {width}x{height} cells, {image.width}x{image.height} px, "
          f"{time.monotonic() - started:.2f} s")


if __name__ == "__main__":
    main()
