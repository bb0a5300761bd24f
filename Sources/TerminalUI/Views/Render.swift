import SkiffText

/// Draws `state` into `buffer`: title bar, disconnected banner, the visible screen, the hint (or
/// prompt) line and the status bar. Pure: the same state always gives the same cells.
public func render(_ state: AppState, into buffer: inout ScreenBuffer) {
    buffer.glyphs = state.glyphs
    buffer.fill(x: 0, y: 0, width: buffer.width, height: buffer.height, role: .normal)
    if buffer.width < 80 || buffer.height < 24 {
        renderTooSmall(into: &buffer)
        return
    }
    let layout = Layout(size: buffer.size, banner: state.connection.isDisconnected)
    Chrome.titleBar(state, into: &buffer)
    Chrome.banner(state, into: &buffer)
    switch state.route {
    case .topics: TopicsView.render(state, layout: layout, into: &buffer)
    case .topic: TopicView.render(state, layout: layout, into: &buffer)
    case .messages: MessagesView.render(state, layout: layout, into: &buffer)
    case .groups: GroupsView.render(state, layout: layout, into: &buffer)
    case .group: GroupView.render(state, layout: layout, into: &buffer)
    case .broker: BrokerView.render(state, layout: layout, into: &buffer)
    case .help: HelpView.render(state, layout: layout, into: &buffer)
    case .createTopic: FormsView.renderCreateTopic(state, layout: layout, into: &buffer)
    case .publish: FormsView.renderPublish(state, layout: layout, into: &buffer)
    case .value: ValueView.render(state, layout: layout, into: &buffer)
    }
    if state.dialog != nil { DialogsView.render(state, layout: layout, into: &buffer) }
    Chrome.hintLine(state, into: &buffer)
    Chrome.statusBar(state, into: &buffer)
}

/// Renders `state` into a new buffer of the state's size.
public func render(_ state: AppState) -> ScreenBuffer {
    var buffer = ScreenBuffer(size: state.size, glyphs: state.glyphs)
    render(state, into: &buffer)
    return buffer
}

private func renderTooSmall(into buffer: inout ScreenBuffer) {
    let x = buffer.glyphs.times
    let text = "terminal too small (need 80\(x)24, have \(buffer.width)\(x)\(buffer.height))"
    let w = min(buffer.width, DisplayWidth.of(text))
    buffer.write(
        text, x: max(0, (buffer.width - w) / 2), y: max(0, (buffer.height - 1) / 2), role: .warning, bold: true,
        maxWidth: buffer.width)
}

/// The parts every screen shares.
enum Chrome {
    static func titleBar(_ state: AppState, into buffer: inout ScreenBuffer) {
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, role: .title)
        let g = buffer.glyphs
        let left = " Skiff \(g.dash) \(state.context.brokerAddress)"
        let used = buffer.write(left, x: 0, y: 0, role: .title, bold: true)
        let path = Chrome.path(state.stack).joined(separator: " \(g.pathSeparator) ") + " "
        let room = buffer.width - used - 2
        guard room > 3 else { return }
        let shown = DisplayWidth.truncate(path, to: room, at: .start, ellipsis: g.ellipsis)
        buffer.write(shown, x: buffer.width - DisplayWidth.of(shown), y: 0, role: .title, maxWidth: room)
    }

    /// The disconnected banner: the most detailed of its forms that fits (at 60 columns and up
    /// the shortest still says everything but the address, which the title bar shows).
    /// The screens of the navigation path; messages reached from somewhere other than their
    /// topic's screen (a group's partition row) name the topic: `trading-strategy.xyz › prices ›
    /// Messages p0`.
    static func path(_ stack: [Route]) -> [String] {
        var parts: [String] = []
        for (i, route) in stack.enumerated() {
            if case .messages(let topic, _) = route, i == 0 || stack[i - 1] != .topic(topic) { parts.append(topic) }
            parts.append(route.title)
        }
        return parts
    }

    static func banner(_ state: AppState, into buffer: inout ScreenBuffer) {
        guard case .disconnected(let reason, let attempt, let retryAt) = state.connection else { return }
        buffer.fill(x: 0, y: 1, width: buffer.width, height: 1, role: .error)
        let seconds = max(0, (retryAt - state.nowMs + 999) / 1_000)
        let g = buffer.glyphs
        let address = state.context.brokerAddress
        let retry = "attempt \(Format.count(attempt)), next in \(seconds)s"
        let forms = [
            " disconnected from \(address) \(g.dash) retrying\(g.ellipsis) (\(retry)): \(reason)",
            " disconnected from \(address) \(g.dash) \(retry): \(reason)",
            " disconnected \(g.dash) \(retry): \(reason)",
        ]
        let text = forms.first { DisplayWidth.of($0) <= buffer.width } ?? forms[forms.count - 1]
        buffer.write(text, x: 0, y: 1, role: .error, bold: true, maxWidth: buffer.width)
    }

    /// The key hints for the visible screen, or the prompt being typed.
    static func hintLine(_ state: AppState, into buffer: inout ScreenBuffer) {
        let y = buffer.height - 2
        if let prompt = state.prompt {
            var x = buffer.write(prompt.label, x: 0, y: y, role: .key, bold: true)
            x += drawField(prompt.field, x: x, y: y, width: buffer.width - x - 1, focused: true, into: &buffer)
            if let error = prompt.error {
                buffer.write("  " + error, x: x, y: y, role: .error, maxWidth: buffer.width - x)
            } else if let routes = prompt.checking, let last = routes.last {
                let what: String
                if case .group = last { what = "the consumer groups" } else { what = "the topics" }
                buffer.write(
                    "  looking in \(what)\(buffer.glyphs.ellipsis)", x: x, y: y, role: .dim, maxWidth: buffer.width - x)
            }
            return
        }
        let kind = state.keyScreen
        var x = 1
        for (key, label) in KeyMap.hints(for: kind, glyphs: buffer.glyphs) {
            let width = DisplayWidth.of(key) + 1 + DisplayWidth.of(label)
            guard x + width < buffer.width else { break }
            x += buffer.write(key, x: x, y: y, role: .key, bold: true)
            x += buffer.write(" " + label, x: x, y: y, role: .dim)
            x += 2
        }
    }

    static func statusBar(_ state: AppState, into buffer: inout ScreenBuffer) {
        let y = buffer.height - 1
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .status)
        let g = buffer.glyphs
        var x = 1
        switch state.connection {
        case .connected: x += buffer.write("\(g.live) connected", x: x, y: y, role: .good)
        case .connecting: x += buffer.write("\(g.connecting) connecting\(g.ellipsis)", x: x, y: y, role: .status)
        case .disconnected: x += buffer.write("\(g.disconnected) disconnected", x: x, y: y, role: .error, bold: true)
        }
        x += buffer.write("  \(g.refresh) \(state.context.autoRefreshMs / 1_000)s", x: x, y: y, role: .status)
        if let dir = state.context.dataDirectory {
            x += buffer.write("  data \(dir)", x: x, y: y, role: .status)
        }
        if state.context.readOnly {
            x += buffer.write("  read-only", x: x, y: y, role: .warning, bold: true)
        }
        if let message = state.message {
            x += buffer.write("  \(g.verticalLine) ", x: x, y: y, role: .status)
            buffer.write(
                message.text, x: x, y: y, role: message.isError ? .error : .status, bold: message.isError,
                maxWidth: buffer.width - x - 1)
        }
    }

    /// Draws a one-line text field (the cursor's line of a multi-line one) with its cursor;
    /// returns the columns used. Only the characters around the cursor that fit are looked at,
    /// so a field holding 100 KB costs what one holding ten characters does.
    @discardableResult
    static func drawField(
        _ field: TextField, x: Int, y: Int, width: Int, focused: Bool, into buffer: inout ScreenBuffer
    )
        -> Int
    {
        guard width > 1 else { return 0 }
        // Each character as it is shown (a pasted control as its escape), so the cursor stays on
        // the character it is at.
        func shown(_ c: Character) -> String { SafeText.escape(String(c)) }
        let (start, column) = field.window(width: width, shownWidth: { DisplayWidth.of(shown($0)) })
        let line = field.cursorPosition.line
        let visible = field.characters(ofLine: line, from: start, limit: width)
        var text = ""
        var widths: [Int] = []
        for c in visible {
            let s = shown(c)
            text += s
            widths.append(DisplayWidth.of(s))
        }
        let used = buffer.write(text, x: x, y: y, role: .input, maxWidth: width)
        if focused {
            let offset = column - start
            let cursorX = x + widths.prefix(offset).reduce(0, +)
            if cursorX < x + width {
                if cursorX >= x + used {
                    buffer.write(" ", x: cursorX, y: y, role: .selection)
                } else {
                    buffer.paint(
                        x: cursorX, y: y, width: max(1, offset < widths.count ? widths[offset] : 1), role: .selection)
                }
            }
            return max(used, cursorX - x + 1)
        }
        return used
    }

    /// A dim one-line summary under the title.
    static func summary(_ text: String, y: Int, into buffer: inout ScreenBuffer) {
        buffer.write(" " + text, x: 0, y: y, role: .dim, maxWidth: buffer.width)
    }

    /// A dim one-line summary of `parts` joined by the separator; where they do not fit, parts are
    /// left out in `dropping` order (indices into `parts`) rather than one cut in the middle.
    static func summary(_ parts: [String], dropping order: [Int], y: Int, into buffer: inout ScreenBuffer) {
        var kept = Array(parts.indices)
        func text() -> String { " " + buffer.glyphs.joined(kept.map { parts[$0] }) }
        for i in order where DisplayWidth.of(text()) > buffer.width {
            kept.removeAll { $0 == i }
        }
        buffer.write(text(), x: 0, y: y, role: .dim, maxWidth: buffer.width)
    }
}
