import Testing

@testable import SkiffText

/// Widths of graphemes and strings, and text cut, padded and wrapped by columns.
struct DisplayWidthTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let width: Int
        var testDescription: String { "\(text.unicodeScalars.map { String($0.value, radix: 16) }) = \(width)" }
    }

    /// CJK, kana, Hangul and fullwidth forms take two columns; ASCII one; combining marks none.
    @Test(arguments: [
        Case(text: "prices", width: 6),
        Case(text: "日本語", width: 6),
        Case(text: "ひらがなカタカナ", width: 16),
        Case(text: "한국", width: 4),
        Case(text: "\u{1100}\u{1161}\u{11A8}", width: 2),  // a Hangul syllable from conjoining jamo
        Case(text: "ｆｕｌｌ", width: 8),
        Case(text: "ｶﾀｶﾅ", width: 4),  // halfwidth katakana: one column each
        Case(text: "e\u{301}", width: 1),
        Case(text: "a\u{300}\u{301}\u{302}\u{303}", width: 1),  // stacked combining marks
        Case(text: "Z\u{351}\u{36b}\u{343}\u{36a}", width: 1),
        Case(text: "\u{301}", width: 0),  // a combining mark with nothing to combine with
        Case(text: "a\u{200B}b", width: 2),  // ZERO WIDTH SPACE
        Case(text: "a\u{200D}b", width: 2),  // a joiner between letters
        Case(text: "café", width: 4),
        Case(text: "\u{00AD}", width: 1),  // SOFT HYPHEN, as wcwidth counts it
        Case(text: "Ωμέγα", width: 5),
        Case(text: "عربي", width: 4),
    ])
    func scripts(_ c: Case) {
        #expect(DisplayWidth.of(c.text) == c.width)
    }

    /// Emoji take two columns however they are built: presentation, VS16, skin tones, ZWJ
    /// sequences, flags, keycaps; a text-style symbol without VS16 takes one.
    @Test(arguments: [
        Case(text: "🚀", width: 2),
        Case(text: "😀", width: 2),
        Case(text: "👍🏽", width: 2),  // skin tone modifier
        Case(text: "👩🏿‍💻", width: 2),  // skin tone and ZWJ
        Case(text: "👨‍👩‍👧‍👦", width: 2),  // family ZWJ sequence: one grapheme
        Case(text: "🏳️‍🌈", width: 2),  // flag with VS16 and ZWJ
        Case(text: "🇯🇵", width: 2),  // regional indicator pair
        Case(text: "🇯🇵🇫🇷", width: 4),
        Case(text: "1️⃣", width: 2),  // keycap
        Case(text: "❤️", width: 2),  // text-default heart with VS16
        Case(text: "❤", width: 1),  // without it
        Case(text: "☺", width: 1),
        Case(text: "⌚", width: 2),  // wide by East Asian Width
        Case(text: "✅", width: 2),
        Case(text: "a🚀b", width: 4),
    ])
    func emoji(_ c: Case) {
        #expect(DisplayWidth.of(c.text) == c.width)
    }

    /// Widths are of the escaped text: a control counts as its escape.
    @Test func controlsCountAsTheirEscapes() {
        #expect(DisplayWidth.of("a\u{1b}b") == 6)  // a\x1bb
        #expect(DisplayWidth.of("\u{202E}") == 8)  // \u{202e}
        #expect(DisplayWidth.of("\n") == 2)
        #expect(DisplayWidth.of(Character("\u{1b}")) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x9B)!) == 0)
        #expect(DisplayWidth.of("") == 0)
    }

    /// Cutting at the end keeps the start and never splits a wide grapheme.
    @Test func truncateAtTheEnd() {
        #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 8) == "日本語…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.truncate("exactly", to: 7) == "exactly")
        #expect(DisplayWidth.truncate("trading-strategy.abc", to: 14) == "trading-strat…")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.truncate("abc", to: 1) == "…")
        #expect(DisplayWidth.truncate("abcdef", to: 4, ellipsis: "...") == "a...")
        #expect(DisplayWidth.truncate("abcdef", to: 2, ellipsis: "...") == "..")
        #expect(DisplayWidth.truncate("👨‍👩‍👧‍👦👨‍👩‍👧‍👦", to: 3) == "👨‍👩‍👧‍👦…")
        #expect(DisplayWidth.truncate("e\u{301}e\u{301}e\u{301}", to: 2) == "e\u{301}…")
        for columns in 0...16 {
            #expect(DisplayWidth.of(DisplayWidth.truncate("日本語テキストabc", to: columns)) <= columns)
        }
    }

    /// Cutting in the middle keeps both ends, for names that differ at either end.
    @Test func truncateInTheMiddle() {
        #expect(DisplayWidth.truncate("trading-strategy.abc", to: 14, at: .middle) == "trading…gy.abc")
        #expect(DisplayWidth.truncate("trading-strategy.xyz", to: 14, at: .middle) == "trading…gy.xyz")
        #expect(DisplayWidth.truncate("trading-strategy.abc", to: 20, at: .middle) == "trading-strategy.abc")
        #expect(DisplayWidth.truncate("abcdefgh", to: 5, at: .middle) == "ab…gh")
        #expect(DisplayWidth.truncate("abcdefgh", to: 4, at: .middle) == "ab…h")
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 9, at: .middle) == "日本…スト")
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 8, at: .middle) == "日本…ト")
        #expect(DisplayWidth.truncate("abcdefgh", to: 6, at: .middle, ellipsis: "...") == "ab...h")
        #expect(DisplayWidth.truncate("abcdefgh", to: 1, at: .middle) == "…")
        for columns in 0...20 {
            let cut = DisplayWidth.truncate("order-execution.日本語.🚀", to: columns, at: .middle)
            #expect(DisplayWidth.of(cut) <= columns, "\(cut)")
        }
    }

    /// Cutting at the start keeps the end, for paths.
    @Test func truncateAtTheStart() {
        #expect(DisplayWidth.truncate("trading-strategy.abc", to: 13, at: .start) == "…strategy.abc")
        #expect(DisplayWidth.truncate("Topics › prices › Messages p0", to: 12, at: .start) == "…Messages p0")
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 7, at: .start) == "…キスト")
        #expect(DisplayWidth.truncate("abc\u{1b}", to: 5, at: .start) == "…\\x1b")
        #expect(DisplayWidth.truncate("abcdef", to: 4, at: .start, ellipsis: "...") == "...f")
        #expect(DisplayWidth.truncate("abc", to: 3, at: .start) == "abc")
    }

    /// Padding and truncation work in columns, so tables with CJK values stay aligned.
    @Test func padByColumns() {
        #expect(DisplayWidth.pad("日本", to: 6) == "日本  ")
        #expect(DisplayWidth.pad("42", to: 5, alignRight: true) == "   42")
        #expect(DisplayWidth.pad("日本語テキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.pad("日本語テキスト", to: 8) == "日本語… ")
        #expect(DisplayWidth.pad("trading-strategy.abc", to: 14, truncation: .middle) == "trading…gy.abc")
        #expect(DisplayWidth.pad("🚀", to: 3, alignRight: true) == " 🚀")
        #expect(DisplayWidth.pad("", to: 2) == "  ")
        #expect(DisplayWidth.pad("x", to: 0) == "")
    }

    /// Cutting escaped text never splits an escape sequence.
    @Test func truncationKeepsEscapesWhole() {
        // "ab\x1bcd": the escape is four columns.
        #expect(DisplayWidth.truncate("ab\u{1b}cd", to: 5) == "ab…")
        #expect(DisplayWidth.truncate("ab\u{1b}cd", to: 7) == "ab\\x1b…")
        #expect(DisplayWidth.truncate("\u{202E}abcdef", to: 8) == "…")
        #expect(DisplayWidth.truncate("\u{202E}abcdef", to: 9) == "\\u{202e}…")
        #expect(DisplayWidth.truncate("abcdef\u{202E}", to: 10, at: .middle) == "abcdef…")
        #expect(DisplayWidth.truncate("ab\u{202E}cdefgh", to: 13, at: .middle) == "ab…cdefgh")
        #expect(DisplayWidth.truncate("\u{202E}abcdefghij", to: 15, at: .middle) == "…abcdefghij")
        #expect(DisplayWidth.truncate("\u{202E}abcdefghij", to: 17, at: .middle) == "\\u{202e}…cdefghij")
        for columns in 0...14 {
            let cut = DisplayWidth.truncate("x\u{1b}y\u{7}z\u{202e}", to: columns)
            #expect(!cut.hasSuffix("\\…") && !cut.contains("\\x…") && !cut.contains("\\u{…"), "\(cut)")
            #expect(DisplayWidth.of(cut) <= columns)
        }
    }

    /// Wrapping breaks at spaces, breaks a word only when it is longer than a line, counts wide
    /// characters as two columns, and keeps every character.
    @Test func wrapping() {
        #expect(DisplayWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(DisplayWidth.wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(DisplayWidth.wrap("日本語のテキスト", width: 5) == ["日本", "語の", "テキ", "スト"])
        #expect(DisplayWidth.wrap("", width: 5) == [""])
        #expect(DisplayWidth.wrap("abc", width: 0) == [])
        #expect(DisplayWidth.wrap("one\ntwo three", width: 5) == ["one", "two", "three"])
        #expect(DisplayWidth.wrap("🚀🚀🚀", width: 3) == ["🚀", "🚀", "🚀"])
        #expect(DisplayWidth.wrap("👨‍👩‍👧‍👦 family", width: 8) == ["👨‍👩‍👧‍👦", "family"])
        let text = (1...40).map { "word\($0)" }.joined(separator: " ")
        let lines = DisplayWidth.wrap(text, width: 23)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 23 })
        #expect(lines.joined(separator: " ") == text)
    }

    /// Escaped binary wraps without breaking an escape sequence, in either style; `anywhere`
    /// keeps every character, spaces included.
    @Test func wrappingKeepsEscapesWhole() {
        let escaped = SafeText.bytes([0x61, 0x62, 0x1B, 0x63, 0xFF, 0x20, 0x64])  // ab\x1bc\xff d
        #expect(escaped == "ab\\x1bc\\xff d")
        #expect(DisplayWidth.wrap(escaped, width: 4, style: .anywhere) == ["ab", "\\x1b", "c", "\\xff", " d"])
        #expect(DisplayWidth.wrap(escaped, width: 5, style: .anywhere) == ["ab", "\\x1bc", "\\xff ", "d"])
        #expect(DisplayWidth.wrap(escaped, width: 5) == ["ab", "\\x1bc", "\\xff", "d"])
        // Raw controls are escaped before wrapping, and a bidi override stays whole.
        #expect(DisplayWidth.wrap("x\u{202E}y", width: 8, style: .anywhere) == ["x", "\\u{202e}", "y"])
        #expect(DisplayWidth.wrap("\u{1b}\u{1b}\u{1b}", width: 6) == ["\\x1b", "\\x1b", "\\x1b"])
        // At every width, joined lines give back the escaped text and each line starts outside an escape.
        let binary: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let shown = SafeText.bytes(binary)
        for width in 4...30 {
            let lines = DisplayWidth.wrap(shown, width: width, style: .anywhere)
            #expect(lines.joined() == shown, "width \(width)")
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "width \(width)")
            #expect(lines.allSatisfy { !$0.hasSuffix("\\") || $0.hasSuffix("\\\\") }, "width \(width)")
            // Cut nowhere inside an escape: the lines' units are the text's units.
            #expect(lines.flatMap { SafeText.units($0) } == SafeText.units(shown), "width \(width)")
        }
    }
}
