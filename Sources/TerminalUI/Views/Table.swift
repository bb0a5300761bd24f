import SkiffText

/// A table column: a header, how it aligns, and how it may give up width when space is short.
///
/// Two layouts use columns. ``Table/init(_:rows:x:width:gap:sorted:marker:position:)`` sizes
/// them by what the visible cells need (see there); the older
/// ``Table/init(_:x:width:gap:)`` gives each its `ideal` width and shares what is left by `flex`.
struct Column {
    var title: String
    /// A shorter header for when the table is short of room (`PARTS` for `PARTITIONS`).
    var short: String?
    /// The width it gets when there is room (fixed-share layout only).
    var ideal: Int
    /// The width it keeps when space is short: a cut column is never narrower.
    var min: Int
    /// Share of the spare width (0 = none).
    var flex: Int
    /// Numbers align right.
    var alignRight: Bool
    /// Where a cell too wide for the column is cut: names keep both ends (`trading…gy.abc`).
    /// Nil for a column that is never cut (numbers, sizes with their unit, times): the layout
    /// shrinks or drops another column instead, or shows a cell's shorter form.
    var truncation: DisplayWidth.Truncation?
    /// Which column goes first when even the narrowest layout does not fit: the lowest.
    var priority: Int

    /// A column of the fixed-share layout.
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
        self.priority = 1
    }

    /// A column sized by its cells. `cut` nil (the default) means never cut; a cut column keeps at
    /// least `min` columns.
    init(
        _ title: String, short: String? = nil, right: Bool = false, cut: DisplayWidth.Truncation? = nil,
        min: Int = 8, flex: Int = 0, priority: Int = 1
    ) {
        self.title = title
        self.short = short
        self.ideal = 0
        self.min = min
        self.flex = flex
        self.alignRight = right
        self.truncation = cut
        self.priority = priority
    }
}

/// A cell's text and, optionally, its own role (lag in the warning colour, …).
struct TableCell {
    var text: String
    var role: StyleRole?
    /// Shorter ways to say the same, most detailed first (`05-01 11:59:48`, `11:59:48`): the table
    /// shows the first form that fits its column before it cuts anything.
    var shorter: [String]

    init(_ text: String, _ role: StyleRole? = nil, shorter: [String] = []) {
        self.text = text
        self.role = role
        self.shorter = shorter
    }

    /// The text, then its shorter forms.
    var forms: [String] { [text] + shorter }

    /// The most detailed form that fits `width`, if any.
    func form(fitting width: Int) -> String? {
        forms.first { DisplayWidth.of($0) <= width }
    }
}

/// Lays out and draws tables: presenters make the cells of the visible rows, the table places
/// them in columns measured in display width (k9s's renderer split).
struct Table {
    var columns: [Column]
    /// Each column's width; 0 for a dropped column.
    var widths: [Int]
    /// Whether each column is drawn (a column is dropped when even the narrowest layout is too wide).
    var shown: [Bool]
    /// The header each column shows: its title, or its short title when room is short.
    var titles: [String]
    var x: Int
    var gap: Int
    /// The table's whole width, position indicator included.
    var width: Int
    /// The sorted column and its marker (``Glyphs/ascending``, ``Glyphs/descending``).
    var sorted: Int?
    var marker: String
    /// Drawn at the right end of the header row (`12/2,003`): where the cursor is in a long list.
    var position: String?

    /// Column widths for `width` columns of screen starting at `x`: each column its `ideal`, too
    /// wide ones shrunk towards their `min`, the rest shared by `flex` (fixed shares).
    init(_ columns: [Column], x: Int = 1, width: Int, gap: Int = 2) {
        self.columns = columns
        self.x = x
        self.gap = gap
        self.width = width
        self.shown = Array(repeating: true, count: columns.count)
        self.titles = columns.map(\.title)
        self.marker = ""
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
        widths = w
        shareSpare(width - total)
    }

    /// Column widths by need, for the cells of the rows on screen:
    ///
    /// 1. Every column as wide as its widest cell or its header (with the sort marker); the
    ///    spare goes to the `flex` columns.
    /// 2. Too wide: what loses least first — a cell form one step shorter (a step costs more the
    ///    further it goes from the full form: a timestamp loses its milliseconds before its date)
    ///    or a column's short header.
    /// 3. Still too wide: the widest shrinkable column, weighed by its priority, gives up width,
    ///    a cut column down to its `min`, a column with shorter forms down to its shortest. A column that is never cut
    ///    (numbers, sizes with their unit) keeps its widest cell.
    /// 4. Still too wide: the lowest-priority column (never the sorted one) is dropped and the
    ///    layout starts again.
    ///
    /// `position`, when given, takes its width and a gap at the right of the header row.
    init(
        _ columns: [Column], rows: [[TableCell]], x: Int = 1, width: Int, gap: Int = 2, sorted: Int? = nil,
        marker: String = "", position: String? = nil
    ) {
        self.columns = columns
        self.x = x
        self.gap = gap
        self.width = width
        self.sorted = sorted
        self.marker = marker
        self.position = position
        let n = columns.count
        self.shown = Array(repeating: true, count: n)
        self.titles = columns.map(\.title)
        self.widths = Array(repeating: 0, count: n)
        let budget = width - (position.map { DisplayWidth.of($0) + gap } ?? 0)

        // What each column's cells need at each form level (0 = the full text).
        var levels = Array(repeating: [0], count: n)
        for i in 0..<n {
            let depth = rows.reduce(1) { i < $1.count ? max($0, $1[i].forms.count) : $0 }
            levels[i] = (0..<depth).map { k in
                rows.reduce(0) { widest, row in
                    guard i < row.count else { return widest }
                    let forms = row[i].forms
                    return max(widest, DisplayWidth.of(forms[min(k, forms.count - 1)]))
                }
            }
        }
        func headerWidth(_ i: Int, short: Bool) -> Int {
            let title = short ? (columns[i].short ?? columns[i].title) : columns[i].title
            var w = DisplayWidth.of(title)
            if i == sorted { w += DisplayWidth.of(marker) + (columns[i].alignRight ? 0 : 1) }
            return w
        }

        while true {
            let active = (0..<n).filter { shown[$0] }
            let gaps = gap * max(0, active.count - 1)
            func total(_ w: [Int]) -> Int { active.reduce(0) { $0 + w[$1] } + gaps }
            var level = Array(repeating: 0, count: n)
            var short = Array(repeating: false, count: n)
            func lossless(_ i: Int) -> Int {
                max(headerWidth(i, short: short[i]), levels[i][level[i]])
            }
            var w = (0..<n).map(lossless)
            // 2. The cheapest step first; at the same cost a header before a cell form, then the
            //    one that saves most.
            while total(w) > budget {
                var best: (cost: Int, saving: Int, column: Int, header: Bool)?
                func consider(_ option: (cost: Int, saving: Int, column: Int, header: Bool)) {
                    guard option.saving > 0 else { return }
                    guard let b = best else {
                        best = option
                        return
                    }
                    if (option.cost, option.header ? 0 : 1, -option.saving) < (b.cost, b.header ? 0 : 1, -b.saving) {
                        best = option
                    }
                }
                for i in active {
                    if level[i] + 1 < levels[i].count {
                        let narrower = max(headerWidth(i, short: short[i]), levels[i][level[i] + 1])
                        consider((cost: level[i] + 1, saving: w[i] - narrower, column: i, header: false))
                    }
                    if !short[i], columns[i].short != nil {
                        let narrower = max(headerWidth(i, short: true), levels[i][level[i]])
                        consider((cost: 2, saving: w[i] - narrower, column: i, header: true))
                    }
                }
                guard let step = best else { break }
                if step.header { short[step.column] = true } else { level[step.column] += 1 }
                w[step.column] = lossless(step.column)
            }
            titles = (0..<n).map { short[$0] ? (columns[$0].short ?? columns[$0].title) : columns[$0].title }
            if total(w) <= budget {
                apply(w, spare: budget - total(w))
                return
            }
            // 3. Cut: the widest shrinkable column gives first, its width weighed against its
            //    importance (a column of priority p counts 1/(p+1) of its width), so a list of
            //    groups gives way before the names.
            let floor = (0..<n).map { i -> Int in
                let header = headerWidth(i, short: short[i])
                if columns[i].truncation != nil { return max(header, min(columns[i].min, w[i])) }
                return max(header, min(w[i], levels[i][levels[i].count - 1]))
            }
            if total(floor) <= budget || active.count == 1 {
                let lossless = w
                while total(w) > budget {
                    let candidates = active.filter { w[$0] > floor[$0] }
                    guard
                        let i = candidates.max(by: { a, b in
                            let (wa, wb) = (w[a] * (columns[b].priority + 1), w[b] * (columns[a].priority + 1))
                            return wa != wb ? wa < wb : columns[a].priority > columns[b].priority
                        })
                    else { break }
                    if columns[i].truncation != nil {
                        w[i] -= 1
                    } else {
                        w[i] = max(floor[i], levels[i].filter { $0 < w[i] }.max() ?? floor[i])
                    }
                }
                // A form may have stepped down further than needed: give the rest back to the
                // cut columns short of their width, the narrowest first.
                var spare = budget - total(w)
                while spare > 0,
                    let i = active.filter({ columns[$0].truncation != nil && w[$0] < lossless[$0] }).min(by: {
                        w[$0] < w[$1]
                    })
                {
                    w[i] += 1
                    spare -= 1
                }
                apply(w, spare: spare)
                return
            }
            // 4. Drop a column.
            guard
                let drop = active.filter({ $0 != sorted }).min(by: { a, b in
                    columns[a].priority != columns[b].priority ? columns[a].priority < columns[b].priority : a > b
                })
            else { return }
            shown[drop] = false
        }
    }

    /// The most a flexible column grows beyond its need in a layout by need: room to breathe,
    /// not a gulf between a name and its numbers on a wide terminal (the rest stays at the right).
    static let maxGrowth = 16

    private mutating func apply(_ w: [Int], spare: Int) {
        widths = (0..<columns.count).map { shown[$0] ? w[$0] : 0 }
        shareSpare(spare, cap: Self.maxGrowth)
    }

    /// Shares `extra` columns among the flexible shown columns, by weight, each getting at most
    /// `cap` times its weight (nil: no limit).
    private mutating func shareSpare(_ extra: Int, cap: Int? = nil) {
        let flexible = columns.indices.filter { shown[$0] && columns[$0].flex > 0 }
        let weights = flexible.reduce(0) { $0 + columns[$1].flex }
        guard extra > 0, weights > 0 else { return }
        if let cap, extra >= cap * weights {
            for i in flexible { widths[i] += cap * columns[i].flex }
            return
        }
        var given = 0
        for i in flexible {
            let share = extra * columns[i].flex / weights
            widths[i] += share
            given += share
        }
        if let last = flexible.last { widths[last] += extra - given }
    }

    /// The rows of a list that fit `height` rows, with the cursor and scroll clamped as the
    /// state would clamp them.
    static func page(count: Int, cursor: Int, scroll: Int, height: Int) -> (rows: Range<Int>, cursor: Int) {
        var c = cursor
        var s = scroll
        clampList(cursor: &c, scroll: &s, count: count, height: height)
        return (s..<Swift.min(count, s + Swift.max(1, height)), c)
    }

    /// `12/2,003`: the cursor's row of a list longer than its `height`, else nil.
    static func position(cursor: Int, count: Int, height: Int) -> String? {
        guard count > height else { return nil }
        return "\(Format.count(cursor + 1))/\(Format.count(count))"
    }

    /// The x of column `i`.
    func columnX(_ i: Int) -> Int {
        var at = x
        for j in 0..<i where shown[j] { at += widths[j] + gap }
        return at
    }

    /// Draws the header row; the sorted column's title gets `marker` (``Glyphs/ascending``,
    /// ``Glyphs/descending``; the table's own when not given): after a left-aligned title, or just
    /// before a right-aligned one (in the gap, if need be). The position indicator goes at the
    /// right end.
    func drawHeader(into buffer: inout ScreenBuffer, y: Int, sorted: Int? = nil, marker: String = "") {
        let sorted = sorted ?? self.sorted
        let marker = marker.isEmpty ? self.marker : marker
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .header)
        for (i, column) in columns.enumerated() where shown[i] {
            var title = titles[i]
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
        if let position {
            let w = DisplayWidth.of(position)
            buffer.write(position, x: x + width - w, y: y, role: .header, maxWidth: w)
        }
    }

    /// Draws one row; a selected row is drawn across the whole width in the selection role. Each
    /// cell shows its most detailed form that fits, else its text cut where its column cuts.
    func drawRow(_ cells: [TableCell], into buffer: inout ScreenBuffer, y: Int, selected: Bool = false) {
        if selected { buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .selection) }
        for (i, cell) in cells.enumerated() where i < columns.count && shown[i] {
            let role: StyleRole = selected ? .selection : (cell.role ?? .normal)
            let text = cell.form(fitting: widths[i]) ?? (columns[i].truncation == nil ? cell.forms.last! : cell.text)
            buffer.write(
                DisplayWidth.pad(
                    text, to: widths[i], alignRight: columns[i].alignRight, truncation: columns[i].truncation ?? .end,
                    ellipsis: buffer.glyphs.ellipsis),
                x: columnX(i), y: y,
                role: role, maxWidth: widths[i])
        }
    }

    /// Draws `rows`, the rows `first ..< first + rows.count` of a list, from row `top` down; the
    /// list's row `selected` (if any) in the selection role.
    func drawRows(_ rows: [[TableCell]], first: Int, selected: Int?, top: Int, into buffer: inout ScreenBuffer) {
        for (line, cells) in rows.enumerated() {
            drawRow(cells, into: &buffer, y: top + line, selected: selected == first + line)
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
