import SkiffText
import Testing

@testable import TerminalUI

/// The layout by need: what the cells on screen need, what gives way first, what never does.
struct TableLayoutTests {
    let columns = [
        Column("NAME", cut: .middle, min: 8, flex: 1, priority: 9),
        Column("PARTITIONS", short: "PARTS", right: true, priority: 3),
        Column("SIZE", right: true, priority: 5),
        Column("WHEN", priority: 2),
    ]

    func rows(_ name: String) -> [[TableCell]] {
        [
            [
                TableCell(name), TableCell("12"), TableCell("78.2 KiB"),
                TopicView.timestampCell(fixedNow, utcOffsetSeconds: 0),
            ]
        ]
    }

    /// With room, every column is as wide as its widest cell or header; the flexible column gets
    /// the spare, up to ``Table/maxGrowth``.
    @Test func roomToSpare() {
        let t = Table(columns, rows: rows("prices"), width: 100)
        #expect(t.widths == [6 + Table.maxGrowth, 10, 8, 23])
        #expect(t.titles == ["NAME", "PARTITIONS", "SIZE", "WHEN"])
        let exact = Table(columns, rows: rows("prices"), width: 6 + 10 + 8 + 23 + 6 + 3)
        #expect(exact.widths == [9, 10, 8, 23])
    }

    /// Short of room, what loses least goes first: the milliseconds, then a short header, then
    /// the year, the date last; a name is cut only when the important columns have given what they
    /// can, and a size never.
    @Test func whatGivesWayFirst() {
        let full = 6 + 10 + 8 + 23 + 6
        var t = Table(columns, rows: rows("prices"), width: full - 4)
        #expect(t.widths == [6, 10, 8, 19])
        t = Table(columns, rows: rows("prices"), width: full - 9)
        #expect(t.widths == [6, 5, 8, 19])
        t = Table(columns, rows: rows("prices"), width: full - 14)
        #expect(t.widths == [6, 5, 8, 14])
        #expect(t.titles[1] == "PARTS")
        // The name is more important than the date: the time alone is shown first.
        t = Table(columns, rows: rows("trading-strategy.abc"), width: 20 + 5 + 8 + 14 + 6 - 3)
        #expect(t.widths == [20 + 3, 5, 8, 8])
        var buffer = ScreenBuffer(size: TerminalSize(width: 80, height: 2))
        t.drawRow(rows("trading-strategy.abc")[0], into: &buffer, y: 0)
        #expect(buffer.line(0).hasPrefix(" trading-strategy.abc "))
        #expect(buffer.line(0).contains("  78.2 KiB  12:00:00"))
        // Then the name is cut in the middle, the size kept whole.
        t = Table(columns, rows: rows("trading-strategy.abc"), width: 14 + 5 + 8 + 8 + 6)
        #expect(t.widths == [14, 5, 8, 8])
        buffer = ScreenBuffer(size: TerminalSize(width: 80, height: 2))
        t.drawRow(rows("trading-strategy.abc")[0], into: &buffer, y: 0)
        #expect(buffer.line(0).hasPrefix(" trading…gy.abc "), "\(buffer.line(0))")
        #expect(buffer.line(0).contains("  78.2 KiB  12:00:00"))
    }

    /// When even the narrowest layout does not fit, the least important column is dropped, but
    /// never the sorted one; numbers are never cut.
    @Test func dropsTheLeastImportant() {
        let t = Table(columns, rows: rows("prices"), width: 6 + 5 + 8 + 8 + 6 - 1)
        #expect(t.shown == [true, true, true, false])
        #expect(t.widths == [6 + 4, 10, 8, 0])
        let sortedByWhen = Table(columns, rows: rows("prices"), width: 6 + 5 + 8 + 8 + 6 - 1, sorted: 3, marker: "▼")
        #expect(sortedByWhen.shown == [true, false, true, true])
        #expect(sortedByWhen.widths == [6, 0, 8, 14])
    }

    /// The position indicator takes its width at the right of the header.
    @Test func positionIndicator() {
        let t = Table(columns, rows: rows("prices"), width: 80, position: "12/2,003")
        #expect(t.widths.reduce(0, +) + 6 <= 80 - 9)
        var buffer = ScreenBuffer(size: TerminalSize(width: 82, height: 1))
        t.drawHeader(into: &buffer, y: 0)
        #expect(buffer.line(0).contains("  12/2,003"))
        #expect(buffer[80, 0].text == "3")
        #expect(Table.position(cursor: 0, count: 10, height: 10) == nil)
        #expect(Table.position(cursor: 122, count: 2_003, height: 20) == "123/2,003")
    }
}

extension TableLayoutTests {
    /// A topic's FIRST and LAST timestamps take the same form at every width.
    @Test(arguments: layoutWidths)
    func firstAndLastReadAlike(_ width: Int) async {
        let d = Driver(fake: layoutBroker(), size: TerminalSize(width: width, height: 30))
        await d.start()
        await d.command("t orders")
        let rows = d.screen.filter { $0.hasPrefix("         0 ") || $0.hasPrefix("    0 ") }
        #expect(rows.count == 1, "\(d.screenText)")
        for row in rows {
            let times = row.split(separator: " ").suffix(4)
            let first = times.prefix(times.count / 2).joined(separator: " ")
            let last = times.suffix(times.count / 2).joined(separator: " ")
            #expect(first.count == last.count, "\(row)")
        }
    }
}
