/// A key press, decoded by the terminal from whatever the platform delivers.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, CJK…).
    case character(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// A function key, F1…F12.
    case function(Int)
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
    /// The terminal was resized (the new size is read from the terminal).
    case resize
    /// The process was asked to end (SIGTERM, or SIGHUP when the terminal went away): the app
    /// quits as with `q`, whatever screen, form or prompt is open, so its cleanup runs.
    case terminate
    /// Text pasted in one piece (the terminal's bracketed paste): inserted at once, never run as
    /// key commands.
    case paste(String)
}
