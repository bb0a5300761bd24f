import SkiffText

/// An editable text with a cursor, for prompts and form fields.
///
/// Every edit and every question a frame asks costs the same whatever the field holds: the
/// characters are kept in an array (typing at the end appends), the UTF-8 size and the start of
/// every line are kept up to date as the text changes, and drawing looks only at the characters
/// around the cursor (``window(width:)``, ``visibleLines(height:)``). A paste (``Key/paste(_:)``)
/// arrives as one key and is inserted at once.
public struct TextField: Hashable, Sendable {
    /// The characters, in order.
    public private(set) var characters: [Character]
    /// The cursor, in characters from the start.
    public private(set) var cursor: Int
    /// Whether Enter inserts a newline.
    public let multiline: Bool
    /// Bytes of the text in UTF-8.
    public private(set) var utf8Count: Int
    /// The index in ``characters`` where each line starts (the first is 0).
    private var lineStarts: [Int]

    /// A field holding `text` with the cursor at its end.
    public init(_ text: String = "", multiline: Bool = false) {
        self.multiline = multiline
        characters = []
        cursor = 0
        utf8Count = 0
        lineStarts = [0]
        insert(Array(text))
    }

    /// The text (builds a string: for submitting and validating, not for every frame of a big field).
    public var text: String { String(characters) }

    /// Whether the field is empty.
    public var isEmpty: Bool { characters.isEmpty }

    /// Number of characters.
    public var count: Int { characters.count }

    /// Number of lines (at least 1).
    public var lineCount: Int { lineStarts.count }

    /// Replaces the text and moves the cursor to its end.
    public mutating func set(_ newText: String) {
        characters = []
        cursor = 0
        utf8Count = 0
        lineStarts = [0]
        insert(Array(newText))
    }

    /// Applies an editing key; returns whether the key was an editing key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            insert([c])
        case .paste(let text):
            // A paste is inserted as it is; a one-line field takes its lines joined by spaces.
            var pasted = Array(text.replacing("\r\n", with: "\n").replacing("\r", with: "\n"))
            if !multiline { pasted = pasted.map { $0 == "\n" ? " " : $0 } }
            insert(pasted)
        case .enter where multiline:
            insert(["\n"])
        case .backspace:
            guard cursor > 0 else { return true }
            remove(cursor - 1..<cursor)
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            remove(cursor..<cursor + 1)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = multiline ? lineStarts[line(of: cursor)] : 0
        case .end, .control("e"):
            cursor = multiline ? lineEnd(line(of: cursor)) : characters.count
        case .up where multiline:
            let l = line(of: cursor)
            guard l > 0 else { return true }
            cursor = min(lineStarts[l - 1] + (cursor - lineStarts[l]), lineEnd(l - 1))
        case .down where multiline:
            let l = line(of: cursor)
            guard l + 1 < lineStarts.count else { return true }
            cursor = min(lineStarts[l + 1] + (cursor - lineStarts[l]), lineEnd(l + 1))
        case .control("u"):
            set("")
        case .control("w"):
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " && characters[start - 1] != "\n" { start -= 1 }
            remove(start..<cursor)
        default:
            return false
        }
        return true
    }

    // MARK: Editing

    private mutating func insert(_ new: [Character]) {
        guard !new.isEmpty else { return }
        let at = cursor
        let atEnd = at == characters.count
        if atEnd { characters.append(contentsOf: new) } else { characters.insert(contentsOf: new, at: at) }
        utf8Count += new.reduce(0) { $0 + $1.utf8.count }
        cursor += new.count
        // Lines after the insertion move; new newlines start new lines.
        let l = line(of: at)
        if !atEnd { for i in (l + 1)..<lineStarts.count { lineStarts[i] += new.count } }
        var added: [Int] = []
        for (i, c) in new.enumerated() where c == "\n" { added.append(at + i + 1) }
        if !added.isEmpty { lineStarts.insert(contentsOf: added, at: l + 1) }
    }

    private mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let gone = characters[range]
        utf8Count -= gone.reduce(0) { $0 + $1.utf8.count }
        let removedNewlines = gone.contains("\n")
        if range.upperBound == characters.count {
            characters.removeLast(range.count)
        } else {
            characters.removeSubrange(range)
        }
        cursor = range.lowerBound
        if removedNewlines {
            // Rare (joining lines): rebuild the line starts.
            lineStarts = [0] + characters.indices.filter { characters[$0] == "\n" }.map { $0 + 1 }
        } else {
            let l = line(of: range.lowerBound)
            for i in (l + 1)..<lineStarts.count { lineStarts[i] -= range.count }
        }
    }

    // MARK: Lines

    /// The line holding character index `index` (binary search of the line starts).
    private func line(of index: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// One past the last character of line `l` (its newline's index, or the end).
    private func lineEnd(_ l: Int) -> Int {
        l + 1 < lineStarts.count ? lineStarts[l + 1] - 1 : characters.count
    }

    /// The cursor's line and column (in characters).
    public var cursorPosition: (line: Int, column: Int) {
        let l = line(of: cursor)
        return (l, cursor - lineStarts[l])
    }

    /// The characters of line `l` from `start` (a column), at most `limit` of them.
    public func characters(ofLine l: Int, from start: Int = 0, limit: Int) -> ArraySlice<Character> {
        let begin = min(lineStarts[l] + start, lineEnd(l))
        return characters[begin..<min(lineEnd(l), begin + max(0, limit))]
    }

    /// The lines a box of `height` rows shows: the cursor's line last (or lower when the text is
    /// short), as line numbers.
    public func visibleLines(height: Int) -> Range<Int> {
        let l = line(of: cursor)
        let first = max(0, l - max(1, height) + 1)
        return first..<min(lineStarts.count, first + max(1, height))
    }

    /// The columns of the cursor's line a field `width` columns wide shows, so that the cursor is
    /// visible: `(first column, the cursor's column)`. Looks only at the characters before the
    /// cursor that fit, measured as they are drawn (`shownWidth`).
    public func window(width: Int, shownWidth: (Character) -> Int) -> (start: Int, cursorColumn: Int) {
        let (l, column) = cursorPosition
        let lineStart = lineStarts[l]
        var start = column
        var used = 0
        // Leave one column for the cursor itself.
        while start > 0 {
            let w = shownWidth(characters[lineStart + start - 1])
            if used + w > width - 1 { break }
            used += w
            start -= 1
        }
        return (start, column)
    }
}
