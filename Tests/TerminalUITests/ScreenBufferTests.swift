import Testing

@testable import TerminalUI

struct ScreenBufferTests {
    /// CJK and emoji take two columns; ASCII one; combining marks none.
    /// Wrapping breaks at spaces, breaks a word only when it is longer than a line, counts wide
    /// characters as two columns, and keeps every character.
    @Test func wrapping() {
        #expect(DisplayWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(DisplayWidth.wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(DisplayWidth.wrap("日本語のテキスト", width: 5) == ["日本", "語の", "テキ", "スト"])
        #expect(DisplayWidth.wrap("", width: 5) == [""])
        let text = (1...40).map { "word\($0)" }.joined(separator: " ")
        let lines = DisplayWidth.wrap(text, width: 23)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 23 })
        #expect(lines.joined(separator: " ") == text)
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("prices") == 6)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
    }

    /// Control bytes are made visible and never reach a cell raw.
    @Test func controlCharactersAreSanitized() {
        var screen = ScreenBuffer(size: TerminalSize(width: 20, height: 1))
        screen.write("a\u{1b}[2Jb\n", x: 0, y: 0)
        #expect(screen.lines == ["a␛[2Jb␊"])
        #expect(!screen.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 } })
    }

    /// A wide grapheme that does not fit is replaced by a space, never split across the edge.
    @Test func wideGraphemesAreClippedWhole() {
        var screen = ScreenBuffer(size: TerminalSize(width: 5, height: 1))
        let used = screen.write("ab日本", x: 0, y: 0)
        #expect(used == 5)
        #expect(screen.lines == ["ab日"])
        #expect(screen[3, 0].isContinuation)
        #expect(screen[4, 0].text == " ")
    }

    /// Padding and truncation work in columns, so tables with CJK values stay aligned.
    @Test func padAndTruncateByColumns() {
        #expect(DisplayWidth.pad("日本", to: 6) == "日本  ")
        #expect(DisplayWidth.pad("42", to: 5, alignRight: true) == "   42")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("日本語テキスト", to: 7)) <= 7)
    }
}
