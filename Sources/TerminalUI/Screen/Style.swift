/// What a cell is for, not what colour it has: the terminal maps roles to colours (htop's
/// `ColorElements` idea), so views never pick colours and a monochrome terminal still works.
public enum StyleRole: UInt8, Hashable, Sendable, CaseIterable {
    /// Ordinary text.
    case normal
    /// The title bar at the top.
    case title
    /// Column headers of a table.
    case header
    /// The selected row.
    case selection
    /// The status line at the bottom.
    case status
    /// Errors and the disconnected banner.
    case error
    /// Warnings (lag, retention).
    case warning
    /// Good news (caught up, connected).
    case good
    /// Less important text (timestamps, hints).
    case dim
    /// Keys in hints and help (`q`, `Enter`).
    case key
    /// Borders and separators.
    case border
    /// An input field being edited.
    case input
}
