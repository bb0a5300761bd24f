import SkiffText

/// One cell of the screen.
public struct Cell: Hashable, Sendable {
    /// The grapheme shown in the cell; empty for the right half of a wide (2-column) grapheme.
    public var text: String
    /// The style role.
    public var role: StyleRole
    /// Bold on top of the role's colours.
    public var bold: Bool

    /// Creates a cell.
    public init(text: String = " ", role: StyleRole = .normal, bold: Bool = false) {
        self.text = text
        self.role = role
        self.bold = bold
    }

    /// A blank cell.
    public static let blank = Cell()

    /// Whether this is the right half of a wide grapheme (drawn by its left half).
    public var isContinuation: Bool { text.isEmpty }
}

/// An in-memory screen: a grid of cells that views render into and terminals draw from.
///
/// Text is placed by display width (CJK and most emoji take two columns), never by character
/// count, and escaped with SkiffText's one rule (``SafeText``: `\x1b`, `\n`, `\u{202e}`) before
/// it reaches a cell, so nothing a broker sends can write raw control or bidirectional
/// characters to the terminal.
public struct ScreenBuffer: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]
    /// The symbols views draw with (``render(_:into:)`` sets the state's).
    public var glyphs: Glyphs

    /// A blank screen of `size`, drawn with `glyphs`.
    public init(size: TerminalSize, glyphs: Glyphs = .unicode) {
        width = max(0, size.width)
        height = max(0, size.height)
        cells = Array(repeating: .blank, count: width * height)
        self.glyphs = glyphs
    }

    /// The size.
    public var size: TerminalSize { TerminalSize(width: width, height: height) }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (`x`, `y`), clipped to `maxWidth` columns (and the screen's edge).
    /// A wide grapheme that would be cut in half is replaced by a space.
    /// - Returns: the number of columns written.
    @discardableResult
    public mutating func write(
        _ text: String, x: Int, y: Int, role: StyleRole = .normal, bold: Bool = false, maxWidth: Int? = nil
    ) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for grapheme in SafeText.escape(text) {
            let w = DisplayWidth.of(grapheme)
            if w == 0 { continue }
            if column + w > limit {
                if column < limit && w == 2 {
                    if column >= 0 { self[column, y] = Cell(text: " ", role: role, bold: bold) }
                    column += 1
                }
                break
            }
            if column >= 0 {
                self[column, y] = Cell(text: String(grapheme), role: role, bold: bold)
                if w == 2 && column + 1 < width { self[column + 1, y] = Cell(text: "", role: role, bold: bold) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with `character` in `role`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: StyleRole, character: String = " ") {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(text: character, role: role)
            }
        }
    }

    /// Sets the role (and boldness) of a stretch of cells, keeping their text.
    public mutating func paint(x: Int, y: Int, width w: Int, role: StyleRole, bold: Bool = false) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) {
            self[column, y].role = role
            self[column, y].bold = bold
        }
    }

    /// The text of row `y`, wide graphemes once, trailing spaces kept (for tests).
    public func line(_ y: Int) -> String {
        var out = ""
        for x in 0..<width where !self[x, y].isContinuation { out += self[x, y].text }
        return out
    }

    /// Every row's text with trailing spaces removed (for tests and debugging).
    public var lines: [String] {
        (0..<height).map { y in
            var line = self.line(y)
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
