/// Terminal column widths of text, following wcwidth / Unicode East Asian Width: CJK ideographs,
/// Hangul, fullwidth forms and emoji presentation take two columns, combining marks and
/// zero-width characters none, everything else one. Computed here (not with the C library) so
/// the pure UI core needs no curses and renders identically in tests.
public enum DisplayWidth {
    /// Columns `text` occupies once sanitized.
    public static func of(_ text: String) -> Int {
        sanitized(text).reduce(0) { $0 + of($1) }
    }

    /// Columns one grapheme occupies (0, 1 or 2).
    public static func of(_ grapheme: Character) -> Int {
        var width = 0
        var sawEmojiPresentation = false
        for scalar in grapheme.unicodeScalars {
            if scalar.value == 0xFE0F { sawEmojiPresentation = true }
            width = max(width, of(scalar))
        }
        // A text-default symbol followed by VS16 is drawn as a 2-column emoji.
        if sawEmojiPresentation, width == 1 { width = 2 }
        return width
    }

    /// Columns one scalar occupies (0, 1 or 2).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }  // controls (sanitized away before display)
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }
        if isWide(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` with everything a terminal would interpret made visible: C0/C1 control characters
    /// become Unicode control pictures (`␛` for ESC, `␊` for LF, …) or `\u{XX}`, so raw escape
    /// sequences from message payloads can never reach the terminal.
    public static func sanitized(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 {
                out.append(Unicode.Scalar(0x2400 + v)!)  // ␀…␟
            } else if v == 0x7F {
                out.append(Unicode.Scalar(0x2421)!)  // ␡
            } else if (0x80..<0xA0).contains(v) {
                out.append(contentsOf: "\\u{\(String(v, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` cut to at most `columns` columns, with `…` when cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        let clean = sanitized(text)
        guard columns > 0 else { return "" }
        if of(clean) <= columns { return clean }
        var out = ""
        var used = 0
        for g in clean {
            let w = of(g)
            if used + w > columns - 1 { break }
            out.append(g)
            used += w
        }
        return out + "…"
    }

    /// `text` padded with spaces (or cut) to exactly `columns` columns; `alignRight` pads on the left.
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let fill = String(repeating: " ", count: max(0, columns - of(cut)))
        return alignRight ? fill + cut : cut + fill
    }

    /// `text` (sanitized) broken into lines of at most `columns` columns: at spaces where it can,
    /// inside a word (or a run of wide characters) only when one is longer than a line. Every
    /// grapheme of the text is in exactly one line, in order, but the spaces where lines break.
    public static func wrap(_ text: String, width columns: Int) -> [String] {
        let clean = sanitized(text)
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0
        func flushWord() {
            if lineWidth > 0 && lineWidth + 1 + wordWidth > columns {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if lineWidth > 0 {
                line.append(" ")
                lineWidth += 1
            }
            line += word
            lineWidth += wordWidth
            word = ""
            wordWidth = 0
        }
        for g in clean {
            if g == " " {
                flushWord()
                continue
            }
            let w = of(g)
            if wordWidth + w > columns {
                // A word longer than a line: break it where the line is full.
                flushWord()
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            word.append(g)
            wordWidth += w
        }
        flushWord()
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
