import TerminalUI

/// The one place that decides what each ``StyleRole`` looks like (htop's `ColorElements`):
/// a colour pair for terminals with colours, and attributes alone for terminals without.
///
/// Only the eight ANSI colours are used, so every colour terminal shows the same thing; the
/// terminal's own default foreground and background are kept where the table says `.default`.
enum RolePalette {
    /// A terminal colour: the terminal's default, or one of the eight ANSI colours.
    enum Color: Int16 {
        case `default` = -1
        case black = 0
        case red = 1
        case green = 2
        case yellow = 3
        case blue = 4
        case magenta = 5
        case cyan = 6
        case white = 7
        /// "Bright black" (grey); only on terminals with 16 colours or more.
        case grey = 8
    }

    /// Video attributes, mapped to curses' `A_*` bits by ``CursesTerminal``.
    struct Attributes: OptionSet, Hashable {
        let rawValue: UInt8
        static let bold = Attributes(rawValue: 1 << 0)
        static let dim = Attributes(rawValue: 1 << 1)
        static let reverse = Attributes(rawValue: 1 << 2)
        static let underline = Attributes(rawValue: 1 << 3)
    }

    /// How one role looks.
    struct Appearance: Hashable {
        /// Foreground and background on a colour terminal.
        var foreground: Color
        var background: Color
        /// Attributes on top of the colours.
        var attributes: Attributes
        /// Attributes used instead of colours on a terminal without colours (or with `NO_COLOR`).
        var monochrome: Attributes
    }

    /// The table.
    static func appearance(of role: StyleRole) -> Appearance {
        switch role {
        case .normal: Appearance(foreground: .default, background: .default, attributes: [], monochrome: [])
        case .title:
            Appearance(foreground: .white, background: .blue, attributes: [.bold], monochrome: [.reverse, .bold])
        case .header: Appearance(foreground: .black, background: .green, attributes: [], monochrome: [.reverse])
        case .selection: Appearance(foreground: .black, background: .cyan, attributes: [], monochrome: [.reverse])
        case .status: Appearance(foreground: .white, background: .blue, attributes: [], monochrome: [.reverse])
        case .error: Appearance(foreground: .red, background: .default, attributes: [.bold], monochrome: [.bold])
        case .warning: Appearance(foreground: .yellow, background: .default, attributes: [], monochrome: [.bold])
        case .good: Appearance(foreground: .green, background: .default, attributes: [], monochrome: [])
        case .dim: Appearance(foreground: .grey, background: .default, attributes: [], monochrome: [.dim])
        case .key: Appearance(foreground: .cyan, background: .default, attributes: [.bold], monochrome: [.bold])
        case .border: Appearance(foreground: .blue, background: .default, attributes: [], monochrome: [])
        case .input: Appearance(foreground: .black, background: .white, attributes: [], monochrome: [.underline])
        }
    }

    /// `appearance` for a terminal with `colorCount` colours: grey (colour 8) becomes the
    /// default colour made dim on an 8-colour terminal.
    static func appearance(of role: StyleRole, colorCount: Int) -> Appearance {
        var look = appearance(of: role)
        if colorCount < 16 {
            if look.foreground == .grey {
                look.foreground = .default
                look.attributes.insert(.dim)
            }
            if look.background == .grey { look.background = .default }
        }
        return look
    }
}
