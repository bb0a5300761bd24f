/// Conditions on records, for searching a topic where its data is (the admin protocol's Search).
public struct RecordFilter: Hashable, Sendable {
    /// The part of a record a condition looks at.
    public enum Field: Hashable, Sendable {
        /// The key.
        case key
        /// The value.
        case value
        /// The value of a header with this name (any header of that name).
        case header(String)
    }

    /// How a condition compares.
    public enum Match: Hashable, Sendable {
        /// The bytes contain the pattern (an empty pattern: the field is there and not null).
        case contains
        /// The bytes equal the pattern.
        case equals
        /// The bytes start with the pattern.
        case prefix
        /// The field is null (a null key, a tombstone's value) or, for a header, absent.
        case isNull
    }

    /// One condition.
    public struct Condition: Hashable, Sendable {
        /// What it looks at.
        public var field: Field
        /// How it compares.
        public var match: Match
        /// The bytes compared with the field.
        public var pattern: [UInt8]
        /// Compare ASCII letters without regard to case.
        public var ignoreCase: Bool

        /// Creates a condition.
        public init(field: Field, match: Match, pattern: [UInt8], ignoreCase: Bool = false) {
            self.field = field
            self.match = match
            self.pattern = ignoreCase ? pattern.map(Self.lower) : pattern
            self.ignoreCase = ignoreCase
        }

        /// Whether `record` satisfies the condition.
        public func matches(_ record: Record) -> Bool {
            switch field {
            case .key: return matches(record.key)
            case .value: return matches(record.value)
            case .header(let name):
                let values = record.headers.lazy.filter { $0.key == name }.map(\.value)
                if match == .isNull { return values.isEmpty }
                return values.contains { matches($0) }
            }
        }

        private func matches(_ bytes: [UInt8]?) -> Bool {
            guard let bytes else { return match == .isNull }
            switch match {
            case .isNull: return false
            case .equals: return bytes.count == pattern.count && starts(bytes, at: 0)
            case .prefix: return bytes.count >= pattern.count && starts(bytes, at: 0)
            case .contains:
                if pattern.isEmpty { return true }
                guard bytes.count >= pattern.count else { return false }
                let first = pattern[0]
                for i in 0...(bytes.count - pattern.count)
                where (ignoreCase ? Self.lower(bytes[i]) : bytes[i]) == first && starts(bytes, at: i) {
                    return true
                }
                return false
            }
        }

        private func starts(_ bytes: [UInt8], at start: Int) -> Bool {
            for j in 0..<pattern.count {
                let b = bytes[start + j]
                if (ignoreCase ? Self.lower(b) : b) != pattern[j] { return false }
            }
            return true
        }

        private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }
    }

    /// All must hold.
    public var conditions: [Condition]
    /// Only records with a timestamp at or after this (ms), if set.
    public var fromTimestamp: Int64?
    /// Only records with a timestamp at or before this (ms), if set.
    public var toTimestamp: Int64?

    /// A filter with these conditions and timestamp bounds.
    public init(conditions: [Condition], fromTimestamp: Int64? = nil, toTimestamp: Int64? = nil) {
        self.conditions = conditions
        self.fromTimestamp = fromTimestamp
        self.toTimestamp = toTimestamp
    }

    /// Whether `record` satisfies every condition and the timestamp bounds.
    public func matches(_ record: Record) -> Bool {
        if let fromTimestamp, record.timestamp < fromTimestamp { return false }
        if let toTimestamp, record.timestamp > toTimestamp { return false }
        return conditions.allSatisfy { $0.matches(record) }
    }
}
