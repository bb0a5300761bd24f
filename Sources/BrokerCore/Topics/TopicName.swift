/// Kafka's topic name rules. Topic names become directory names (`<topic>-<partition>`), so
/// anything that could escape the data directory is rejected here, before any file is touched.
public enum TopicName {
    /// The longest name Kafka accepts.
    public static let maxLength = 249

    /// Checks `name` against Kafka's rules: 1–249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`.
    /// - Throws: ``BrokerError/invalidTopicName(name:reason:)`` saying which rule is broken.
    public static func validate(_ name: String) throws(BrokerError) {
        let utf8 = name.utf8
        if utf8.isEmpty {
            throw .invalidTopicName(name: name, reason: "a topic name cannot be empty")
        }
        if name == "." || name == ".." {
            throw .invalidTopicName(name: name, reason: "'.' and '..' are not allowed as topic names")
        }
        if utf8.count > maxLength {
            throw .invalidTopicName(
                name: String(name.prefix(40)) + "…",
                reason: "a topic name can be at most \(maxLength) characters, this one has \(name.count)")
        }
        for scalar in name.unicodeScalars where !isLegal(scalar) {
            throw .invalidTopicName(
                name: name,
                reason: "character '\(scalar.escaped(asASCII: true))' is not allowed; "
                    + "use only ASCII letters, digits, '.', '_' and '-'")
        }
    }

    /// Whether `name` is a valid topic name.
    public static func isValid(_ name: String) -> Bool {
        do {
            try validate(name)
            return true
        } catch { return false }
    }

    /// Kafka warns that '.' and '_' collide in metric names; so do we, without refusing.
    public static func hasCollisionRisk(_ name: String) -> Bool {
        name.contains(".") && name.contains("_")
    }

    /// The name with every '.' replaced by '_': two topics with the same key collide, and Kafka
    /// refuses the second one (`InvalidTopicException`, "collides with existing topics").
    public static func collisionKey(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    /// Whether a topic is internal (Kafka's `__consumer_offsets` and friends).
    public static func isInternal(_ name: String) -> Bool { name.hasPrefix("__") }

    private static func isLegal(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // 0-9 A-Z a-z
        case 0x2E, 0x5F, 0x2D: true  // . _ -
        default: false
        }
    }
}
