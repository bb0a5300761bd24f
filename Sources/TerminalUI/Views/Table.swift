import SkiffText

/// A table column: a header, how wide it wants to be, how narrow it may get, how it aligns.
struct Column {
    var title: String
    /// The width it gets when there is room.
    var ideal: Int
    /// The width it keeps when space is short.
    var min: Int
    /// Share of the leftover width (0 = none).
    var flex: Int
    /// Numbers align right.
    var alignRight: Bool
    /// Where a cell too wide for the column is cut: names keep both ends (`trading…gy.abc`).
    var truncation: DisplayWidth.Truncation

    init(
        _ title: String, _ ideal: Int, min: Int? = nil, flex: Int = 0, right: Bool = false,
        cut truncation: DisplayWidth.Truncation = .end
    ) {
        self.title = title
        self.ideal = ideal
        self.min = min ?? ideal
        self.flex = flex
        self.alignRight = right
        self.truncation = truncation
    }
}

/// A cell's text and, optionally, its own role (lag in the warning colour, …).
struct TableCell {
    var text: String
    var role: StyleRole?

    init(_ text: String, _ role: StyleRole? = nil) {
        self.text = text
        self.role = role
    }
}

/// Lays out and draws tables: presenters make the cells of the visible rows, the table places
/// them in columns measured in display width (k9s's renderer split).
struct Table {
    var columns: [Column]
    var widths: [Int]
    var x: Int
    var gap: Int

    /// Column widths for `width` columns of screen starting at `x`.
    init(_ columns: [Column], x: Int = 1, width: Int, gap: Int = 2) {
        self.columns = columns
        self.x = x
        self.gap = gap
        var w = columns.map(\.ideal)
        let gaps = gap * max(0, columns.count - 1)
        var total = w.reduce(0, +) + gaps
        // Too wide: take a column from whichever has the most room above its minimum.
        while total > width {
            guard let i = w.indices.max(by: { w[$0] - columns[$0].min < w[$1] - columns[$1].min }),
                w[i] > columns[i].min
            else { break }
            w[i] -= 1
            total -= 1
        }
        // Room left: share it among the flexible columns.
        let weights = columns.map(\.flex).reduce(0, +)
        if total < width && weights > 0 {
            let extra = width - total
            var given = 0
            for i in columns.indices where columns[i].flex > 0 {
                let share = extra * columns[i].flex / weights
                w[i] += share
                given += share
            }
            if let last = columns.indices.last(where: { columns[$0].flex > 0 }) { w[last] += extra - given }
        }
        widths = w
    }

    /// The x of column `i`.
    func columnX(_ i: Int) -> Int {
        x + widths[..<i].reduce(0, +) + gap * i
    }

    /// Draws the header row; the sorted column's title gets `marker` (``Glyphs/ascending``,
    /// ``Glyphs/descending``): after a
    /// left-aligned title, or just before a right-aligned one (in the gap, if need be).
    func drawHeader(into buffer: inout ScreenBuffer, y: Int, sorted: Int? = nil, marker: String = "") {
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .header)
        for (i, column) in columns.enumerated() {
            var title = column.title
            var x = columnX(i)
            var width = widths[i]
            if i == sorted {
                if column.alignRight {
                    title = marker + title
                    if DisplayWidth.of(title) > width && i > 0 {
                        x -= 1
                        width += 1
                    }
                } else {
                    title += " " + marker
                }
            }
            buffer.write(
                DisplayWidth.pad(title, to: width, alignRight: column.alignRight, ellipsis: buffer.glyphs.ellipsis),
                x: x, y: y, role: .header,
                bold: true, maxWidth: width)
        }
    }

    /// Draws one row; a selected row is drawn across the whole width in the selection role.
    func drawRow(_ cells: [TableCell], into buffer: inout ScreenBuffer, y: Int, selected: Bool = false) {
        if selected { buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .selection) }
        for (i, cell) in cells.enumerated() where i < columns.count {
            let role: StyleRole = selected ? .selection : (cell.role ?? .normal)
            buffer.write(
                DisplayWidth.pad(
                    cell.text, to: widths[i], alignRight: columns[i].alignRight, truncation: columns[i].truncation,
                    ellipsis: buffer.glyphs.ellipsis),
                x: columnX(i), y: y,
                role: role, maxWidth: widths[i])
        }
    }

    /// Draws the visible slice of a list: rows `scroll ..< scroll + height` made by `row`.
    func drawRows(
        count: Int, cursor: Int?, scroll: Int, top: Int, height: Int, into buffer: inout ScreenBuffer,
        row: (Int) -> [TableCell]
    ) {
        var c = cursor ?? 0
        var s = scroll
        clampList(cursor: &c, scroll: &s, count: count, height: height)
        for line in 0..<height {
            let index = s + line
            guard index < count else { break }
            drawRow(row(index), into: &buffer, y: top + line, selected: cursor != nil && index == c)
        }
    }
}
