/// Every symbol the UI draws of its own (not user data), in one place, with an ASCII
/// replacement for terminals whose locale is not UTF-8 (`LANG=C`), where curses would show each
/// of them as `?`.
///
/// The set is chosen once at start from the terminal's character set (``Terminal/glyphs``,
/// ``Glyphs/forCodeset(_:)``), kept in ``AppState/glyphs`` and handed to every view through
/// ``ScreenBuffer/glyphs``. Views never write these symbols literally.
public struct Glyphs: Hashable, Sendable {
    /// Text was cut: `…` / `...`.
    public var ellipsis: String
    /// Between the parts of a summary line: `·` / `|` (drawn with a space on each side).
    public var separator: String
    /// Between the title and the broker: `—` / `-`.
    public var dash: String
    /// In a range of numbers: `–` / `-` (`0–4`).
    public var range: String
    /// Multiplication, as in 80×24: `×` / `x`.
    public var times: String
    /// Leads to: `→` / `->`.
    public var arrow: String
    /// The arrow keys: `↑ ↓ ← →` / `Up Down Left Right`.
    public var upKey: String, downKey: String, leftKey: String, rightKey: String
    /// Between the screens of the navigation path: `›` / `>`.
    public var pathSeparator: String
    /// Around the chosen value of a choice: `‹x›` / `<x>`.
    public var choiceOpen: String, choiceClose: String
    /// Before the focused form field: `▸` / `>`.
    public var focus: String
    /// A check that passed: `✓` / `+`.
    public var ok: String
    /// A check that failed: `✗` / `x`.
    public var problem: String
    /// A warning: `⚠` / `!`.
    public var warning: String
    /// Connected, following: `●` / `*`.
    public var live: String
    /// Connecting: `◌` / `o`.
    public var connecting: String
    /// Disconnected: `✕` / `x`.
    public var disconnected: String
    /// The auto-refresh interval: `⟳` / `every`.
    public var refresh: String
    /// The sort column's direction: `▲` / `^`, `▼` / `v`.
    public var ascending: String, descending: String
    /// A horizontal rule (pane borders): `─` / `-`.
    public var horizontalLine: String
    /// A vertical bar (status bar separator): `│` / `|`.
    public var verticalLine: String
    /// The eight heights of a sparkline, lowest first: `▁…█` / `_.:-=+*#`.
    public var bars: [Character]
    /// A progress bar's full and empty cells: `█` `░` / `#` `-`.
    public var progressFull: String, progressEmpty: String
    /// A progress bar's partly full cell, one to seven eighths: `▏…▉` / none (ASCII rounds down).
    public var progressPartials: [Character]

    /// The Unicode symbols, for a UTF-8 terminal.
    public static let unicode = Glyphs(
        ellipsis: "…", separator: "·", dash: "—", range: "–", times: "×", arrow: "→",
        upKey: "↑", downKey: "↓", leftKey: "←", rightKey: "→",
        pathSeparator: "›", choiceOpen: "‹", choiceClose: "›", focus: "▸", ok: "✓", problem: "✗",
        warning: "⚠", live: "●", connecting: "◌", disconnected: "✕", refresh: "⟳", ascending: "▲",
        descending: "▼", horizontalLine: "─", verticalLine: "│",
        bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], progressFull: "█", progressEmpty: "░",
        progressPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"])

    /// Plain ASCII, for a terminal whose locale is not UTF-8.
    public static let ascii = Glyphs(
        ellipsis: "...", separator: "|", dash: "-", range: "-", times: "x", arrow: "->",
        upKey: "Up", downKey: "Down", leftKey: "Left", rightKey: "Right",
        pathSeparator: ">", choiceOpen: "<", choiceClose: ">", focus: ">", ok: "+", problem: "x",
        warning: "!", live: "*", connecting: "o", disconnected: "x", refresh: "every", ascending: "^",
        descending: "v", horizontalLine: "-", verticalLine: "|",
        bars: ["_", ".", ":", "-", "=", "+", "*", "#"], progressFull: "#", progressEmpty: "-", progressPartials: [])

    /// The set for a character set as `nl_langinfo(CODESET)` names it: ``unicode`` for UTF-8
    /// (`UTF-8`, `utf8`), ``ascii`` for anything else (`ANSI_X3.4-1968` under `LANG=C`,
    /// `ISO-8859-1`).
    public static func forCodeset(_ codeset: String) -> Glyphs {
        let name = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return name == "utf8" ? .unicode : .ascii
    }

    /// `parts` joined by the separator with a space on each side: `a · b` / `a | b`.
    public func joined(_ parts: [String]) -> String {
        parts.joined(separator: " \(separator) ")
    }

    /// Whether every symbol is ASCII.
    public var isASCII: Bool {
        let strings = [
            ellipsis, separator, dash, range, times, arrow, upKey, downKey, leftKey, rightKey, pathSeparator,
            choiceOpen, choiceClose, focus, ok, problem, warning, live, connecting, disconnected, refresh,
            ascending, descending, horizontalLine, verticalLine,
        ]
        return strings.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) } && bars.allSatisfy(\.isASCII)
    }
}
