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

    /// A field holding a pasted control shows its escape, and the cursor stays on the character
    /// it is at (the escape is four columns, the character one).
    @Test func fieldWithAControlKeepsItsCursor() {
        var field = TextField("a\u{1b}b日")
        _ = field.handle(.left)
        var screen = ScreenBuffer(size: TerminalSize(width: 20, height: 1))
        let used = Chrome.drawField(field, x: 0, y: 0, width: 20, focused: true, into: &screen)
        #expect(screen.lines == ["a\\x1bb日"])
        #expect(used == 8)
        // The cursor is on 日 (columns 6 and 7), not inside the escape.
        #expect(screen[6, 0].role == .selection && screen[7, 0].role == .selection)
        #expect((0..<6).allSatisfy { screen[$0, 0].role == .input })
        _ = field.handle(.left)
        _ = field.handle(.left)
        var again = ScreenBuffer(size: TerminalSize(width: 20, height: 1))
        Chrome.drawField(field, x: 0, y: 0, width: 20, focused: true, into: &again)
        #expect((1..<5).allSatisfy { again[$0, 0].role == .selection })  // the whole \x1b
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
