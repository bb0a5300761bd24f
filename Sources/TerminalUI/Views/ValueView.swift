import SkiffText

/// One record's key, headers and value on the whole screen (`V`): the same lines as the detail
/// pane, with every content row for them.
enum ValueView {
    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let v = state.valueView else { return }
        let glyphs = buffer.glyphs
        let detail =
            v.detail
            ?? DetailText(
                partition: v.row.partition, record: v.row.record, format: v.format, keyAsHex: v.keyAsHex,
                width: buffer.width, ellipsis: glyphs.ellipsis)
        let top = layout.contentTop
        let rows = max(1, layout.contentHeight - 1)
        let start = MessagesView.clampedScroll(v.scroll, lines: detail.lines.count, rows: rows)
        buffer.fill(x: 0, y: top, width: buffer.width, height: 1, role: .border, character: glyphs.horizontalLine)
        let title = MessagesView.detailTitle(
            v.row, detail: detail, start: start, rows: rows, utcOffsetSeconds: state.utcOffsetSeconds, glyphs: glyphs,
            width: buffer.width - 4)
        buffer.write(title, x: 2, y: top, role: .border, bold: true, maxWidth: buffer.width - 4)
        MessagesView.drawDetailLines(detail, from: start, top: top + 1, rows: rows, into: &buffer)
    }
}
