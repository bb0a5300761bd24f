/// How many terminal columns text occupies, and text cut, padded and wrapped to a number of
/// columns.
///
/// Widths follow wcwidth and Unicode's East Asian Width: CJK ideographs, kana, Hangul, fullwidth
/// forms and emoji take two columns; combining marks, joiners, variation selectors and other
/// format characters none; everything else one. A grapheme cluster (an emoji ZWJ sequence, a
/// letter with its accents, a flag) is measured as one: its first spacing scalar decides, and any
/// emoji-presentation scalar (or VARIATION SELECTOR-16 after an emoji) makes it two.
///
/// Every function here works on the text as a terminal shows it, that is after
/// ``SafeText/escape(_:)``: it measures, cuts, pads and wraps the escaped form, returns escaped
/// text, and never splits an escape sequence such as `\x1b` or `\u{202e}`. Computed here, not
/// with the C library, so output is the same on every machine and in tests.
public enum DisplayWidth {
    /// How ``wrap(_:width:style:)`` breaks lines.
    public enum WrapStyle: Hashable, Sendable {
        /// At spaces where it can (the spaces where lines break are dropped); inside a word only
        /// when the word is longer than a line.
        case words
        /// Wherever a line is full; every character is kept (for escaped binary).
        case anywhere
    }

    /// Where ``truncate(_:to:at:ellipsis:)`` cuts text that is too wide.
    public enum Truncation: Hashable, Sendable {
        /// Keeps the start: `trading-strat…`.
        case end
        /// Keeps both ends, for long names that differ at either: `trading…gy.abc`.
        case middle
        /// Keeps the end, for paths whose last part matters most: `…strategy.abc`.
        case start
    }

    /// Columns `text` occupies once escaped.
    public static func of(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return measure(SafeText.escape(text))
    }

    /// Columns one grapheme occupies (0, 1 or 2); a control character is 0 (it is escaped
    /// before it is shown).
    public static func of(_ grapheme: Character) -> Int {
        if let ascii = grapheme.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        var base: Unicode.Scalar?
        var variationSelector16 = false
        for scalar in grapheme.unicodeScalars {
            if scalar.properties.isEmojiPresentation { return 2 }
            if scalar.value == 0xFE0F { variationSelector16 = true }
            if base == nil && !isZeroWidth(scalar) { base = scalar }
        }
        guard let base else { return 0 }
        // A text-style emoji followed by VARIATION SELECTOR-16 is drawn as an emoji.
        if variationSelector16 && base.properties.isEmoji { return 2 }
        return of(base)
    }

    /// Columns one scalar occupies on its own (0, 1 or 2).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x7F { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(scalar) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Scalars that take no column of their own: combining marks, format characters (joiners,
    /// bidirectional marks, the zero-width space), variation selectors and Hangul medial vowels
    /// and final consonants.
    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300: return false  // no marks below U+0300; SOFT HYPHEN takes a column, as in wcwidth
        case 0x200B, 0x1160...0x11FF, 0xD7B0...0xD7FF, 0xFE00...0xFE0F: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// East Asian Wide and Fullwidth scalars (Unicode's EastAsianWidth W and F), including the
    /// emoji that are wide by default.
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
            0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
            0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF,
            0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
            0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
            0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    // MARK: - Cutting and padding

    /// `text` (escaped) cut to at most `columns` columns, with `ellipsis` where it was cut: at
    /// the end (`trading-strat…`), in the middle (`trading…gy.abc`) or at the start
    /// (`…strategy.abc`). Text that fits is
    /// returned whole; a wide grapheme or an escape sequence is never split.
    public static func truncate(
        _ text: String, to columns: Int, at truncation: Truncation = .end, ellipsis: String = "…"
    ) -> String {
        guard columns > 0 else { return "" }
        let clean = SafeText.escape(text)
        if clean.utf8.count <= columns || measure(clean) <= columns { return clean }
        let mark = fitting(ellipsis, columns)
        let room = columns - measure(mark)
        let units = SafeText.units(clean)
        let widths = units.map { measure(unit: $0) }
        // The units kept are units[..<head] and units[tail...].
        var head = 0
        var tail = units.count
        var used = 0
        if truncation == .start {
            while tail > head && used + widths[tail - 1] <= room {
                used += widths[tail - 1]
                tail -= 1
            }
            return mark + units[tail...].joined()
        }
        if truncation == .middle {
            // Half the room for each end (the extra column to the start), then whatever the
            // other end left, so a wide unit at one end never wastes the room.
            let headRoom = (room + 1) / 2
            while head < tail && used + widths[head] <= headRoom {
                used += widths[head]
                head += 1
            }
            while tail > head && used + widths[tail - 1] <= room {
                used += widths[tail - 1]
                tail -= 1
            }
        }
        while head < tail && used + widths[head] <= room {
            used += widths[head]
            head += 1
        }
        return units[..<head].joined() + mark + units[tail...].joined()
    }

    /// `text` (escaped) padded with spaces, or cut (see ``truncate(_:to:at:ellipsis:)``), to
    /// exactly `columns` columns; `alignRight` pads on the left.
    public static func pad(
        _ text: String, to columns: Int, alignRight: Bool = false, truncation: Truncation = .end,
        ellipsis: String = "…"
    ) -> String {
        let cut = truncate(text, to: columns, at: truncation, ellipsis: ellipsis)
        let missing = columns - measure(cut)
        guard missing > 0 else { return cut }
        let fill = String(repeating: " ", count: missing)
        return alignRight ? fill + cut : cut + fill
    }

    // MARK: - Wrapping

    /// `text` broken into lines of at most `width` columns. A line feed always ends a line;
    /// everything else is escaped first, and no escape sequence or grapheme is ever split.
    /// With ``WrapStyle/words`` every character of the text is in exactly one line, in order, but
    /// the spaces where lines break; with ``WrapStyle/anywhere`` every character is kept.
    public static func wrap(_ text: String, width: Int, style: WrapStyle = .words) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let units = SafeText.units(SafeText.escape(String(paragraph)))
            switch style {
            case .words: lines += wrapWords(units, width: width)
            case .anywhere: lines += wrapAnywhere(units, width: width)
            }
        }
        return lines
    }

    private static func wrapWords(_ units: [Substring], width columns: Int) -> [String] {
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
        for unit in units {
            if unit == " " {
                flushWord()
                continue
            }
            let w = measure(unit: unit)
            if wordWidth + w > columns && wordWidth > 0 {
                // A word longer than a line: break it where the line is full.
                flushWord()
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            word += unit
            wordWidth += w
        }
        flushWord()
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    private static func wrapAnywhere(_ units: [Substring], width columns: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for unit in units {
            let w = measure(unit: unit)
            if lineWidth + w > columns && lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            line += unit
            lineWidth += w
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: - Measuring escaped text

    /// Columns of text that is already escaped.
    static func measure(_ escaped: String) -> Int {
        if escaped.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return escaped.utf8.count }
        var width = 0
        for grapheme in escaped { width += of(grapheme) }
        return width
    }

    static func measure(unit: Substring) -> Int {
        unit.count == 1 ? of(unit.first!) : measure(String(unit))
    }

    /// As much of `mark` as fits `columns` (an ellipsis wider than the room is cut itself).
    private static func fitting(_ mark: String, _ columns: Int) -> String {
        if measure(mark) <= columns { return mark }
        var out = ""
        var used = 0
        for grapheme in mark {
            let w = of(grapheme)
            if used + w > columns { break }
            out.append(grapheme)
            used += w
        }
        return out
    }
}
