import SkiffText

/// Kafka's topic name rules, checked as the user types: 1–249 characters of `[a-zA-Z0-9._-]`,
/// not `.` or `..`. The broker checks again; this only lets the form say what is wrong early.
public enum TopicNameRules {
    /// The longest name Kafka accepts.
    public static let maxLength = 249

    /// What is wrong with `name`, in words; nil when it is a valid topic name.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "a topic name cannot be empty" }
        if name == "." || name == ".." { return "'.' and '..' are not allowed as topic names" }
        let count = name.unicodeScalars.count
        if count > maxLength {
            return "a topic name can be at most \(maxLength) characters, this one has \(count)"
        }
        // The character as the user sees it (`'ó'`, `'é'` with its combining accent), escaped by
        // SafeText only when unsafe to show (`'\x1b'`).
        for character in name where !character.unicodeScalars.allSatisfy(isLegal) {
            let shown = character == " " ? "space" : "'\(SafeText.escape(String(character)))'"
            return "\(shown) is not allowed; use only ASCII letters, digits, '.', '_' and '-'"
        }
        return nil
    }

    /// Kafka's warning for names mixing '.' and '_' (they collide in metric names); not an error.
    public static func warning(for name: String) -> String? {
        name.contains(".") && name.contains("_")
            ? "'.' and '_' collide in Kafka metric names; prefer one of them" : nil
    }

    private static func isLegal(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D: true
        default: false
        }
    }
}
