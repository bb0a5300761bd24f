import SkiffText

/// The help screen's lines, generated from ``KeyMap`` so help can never miss a binding.
enum HelpContent {
    struct Line: Hashable {
        var text: String
        var role: StyleRole
        var bold: Bool = false
    }

    /// Bindings shown once under "Everywhere" rather than under each screen.
    static func isEverywhere(_ binding: KeyBinding) -> Bool {
        binding.screens.filter { ScreenKind.browsing.contains($0) }.count >= 5
    }

    /// The lines with Unicode symbols (their count is the same with any glyphs).
    static let lines = make(.unicode)
    private static let asciiLines = make(.ascii)

    /// The lines drawn with `glyphs`.
    static func lines(for glyphs: Glyphs) -> [Line] {
        switch glyphs {
        case .unicode: lines
        case .ascii: asciiLines
        default: make(glyphs)
        }
    }

    private static func make(_ g: Glyphs) -> [Line] {
        var out: [Line] = []
        func section(_ title: String, _ bindings: [KeyBinding]) {
            guard !bindings.isEmpty else { return }
            if !out.isEmpty { out.append(Line(text: "", role: .normal)) }
            out.append(Line(text: title, role: .header, bold: true))
            for b in bindings {
                out.append(
                    Line(text: "  " + DisplayWidth.pad(b.keyLabel(glyphs: g), to: 18) + b.description, role: .normal))
            }
        }
        section("Everywhere", KeyMap.bindings.filter(isEverywhere))
        for screen in ScreenKind.allCases {
            section(screen.heading, KeyMap.bindings(on: screen).filter { !isEverywhere($0) })
        }
        out.append(Line(text: "", role: .normal))
        out.append(Line(text: "Jump with :", role: .header, bold: true))
        for (command, what) in [
            (":topics", "the topic list"), (":groups", "the consumer groups"), (":broker", "the broker"),
            (":t NAME", "topic NAME"), (":g NAME", "group NAME"), (":q", "quit"),
        ] {
            out.append(Line(text: "  " + DisplayWidth.pad(command, to: 18) + what, role: .normal))
        }
        out.append(Line(text: "", role: .normal))
        out.append(Line(text: "Editing text", role: .header, bold: true))
        out.append(
            Line(
                text: "  " + g.joined(["type to insert", "\(g.leftKey) \(g.rightKey) move", "Backspace Del erase"]),
                role: .normal))
        out.append(
            Line(
                text: "  " + g.joined(["Ctrl-A Ctrl-E start/end", "Ctrl-U clear", "Ctrl-W erase a word"]), role: .normal
            ))
        return out
    }
}
