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
    /// Text pasted in one piece (the terminal's bracketed paste): inserted at once, never run as
    /// key commands.
    case paste(String)
}
