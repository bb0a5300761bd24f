/// An editable text with a cursor, for prompts and form fields.
public struct TextField: Hashable, Sendable {
    /// The text; may contain newlines when `multiline`.
    public private(set) var text: String
    /// The cursor, in characters from the start.
    public private(set) var cursor: Int
    /// Whether Enter inserts a newline.
    public let multiline: Bool

    /// A field holding `text` with the cursor at its end.
    public init(_ text: String = "", multiline: Bool = false) {
        self.text = text
        self.cursor = text.count
        self.multiline = multiline
    }

    /// Replaces the text and moves the cursor to its end.
    public mutating func set(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    /// Applies an editing key; returns whether the key was an editing key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        var chars = Array(text)
        switch key {
        case .character(let c):
            chars.insert(c, at: cursor)
            cursor += 1
        case .enter where multiline:
            chars.insert("\n", at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < chars.count else { return true }
            chars.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(chars.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = chars.count
        case .control("u"):
            chars.removeAll()
            cursor = 0
        case .control("w"):
            var start = cursor
            while start > 0 && chars[start - 1] == " " { start -= 1 }
            while start > 0 && chars[start - 1] != " " { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        text = String(chars)
        return true
    }

    /// The text split into lines, with the cursor's line and column.
    public var lines: (lines: [String], cursorLine: Int, cursorColumn: Int) {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var remaining = cursor
        for (i, line) in all.enumerated() {
            if remaining <= line.count { return (all, i, remaining) }
            remaining -= line.count + 1
        }
        return (all, max(0, all.count - 1), all.last?.count ?? 0)
    }
}
