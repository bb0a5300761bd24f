import SkiffText
import Testing

@testable import TerminalUI

struct ScreenBufferTests {
    /// Control bytes and bidirectional controls are escaped with the CLI's rule (SafeText) and
    /// never reach a cell raw.
    @Test func controlCharactersAreEscaped() {
        var screen = ScreenBuffer(size: TerminalSize(width: 40, height: 2))
        screen.write("a\u{1b}[2Jb\n", x: 0, y: 0)
        #expect(screen.lines[0] == "a\\x1b[2Jb\\n")
        screen.write("x\u{202E}y\u{9b}z", x: 0, y: 1)
        #expect(screen.lines[1] == "x\\u{202e}y\\u{9b}z")
        #expect(!screen.cells.contains { $0.text.unicodeScalars.contains(where: SafeText.isUnsafe) })
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
}
