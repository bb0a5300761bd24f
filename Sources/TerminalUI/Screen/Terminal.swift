/// The size of a terminal in cells.
public struct TerminalSize: Hashable, Sendable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// The only thing the UI knows about the real terminal. `CursesTerminal` implements it with
/// ncurses (the one module that imports curses); tests use an in-memory implementation.
public protocol Terminal: AnyObject {
    /// The current size.
    var size: TerminalSize { get }
    /// Shows `buffer`, writing only the cells that differ from the previous frame.
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeoutMilliseconds` for a key; nil when none arrived.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Restores the terminal (leaves curses mode). Safe to call more than once.
    func restore()
    /// The symbols this terminal can show: ``Glyphs/unicode`` in a UTF-8 locale, ``Glyphs/ascii``
    /// otherwise. Read once, when the app starts.
    var glyphs: Glyphs { get }
    /// Puts `bytes` on the clipboard of the terminal the user sits at (OSC 52, which reaches it
    /// over SSH and through tmux with `set-clipboard on`).
    func copyToClipboard(_ bytes: [UInt8])
}

extension Terminal {
    /// Unicode, unless the terminal says otherwise.
    public var glyphs: Glyphs { .unicode }

    /// Nothing: a terminal without a clipboard.
    public func copyToClipboard(_ bytes: [UInt8]) {}
}
