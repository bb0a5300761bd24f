import AdminProtocol
import SkiffText

/// What a person types to search a topic on the broker (`s` on the messages screen), parsed into
/// the conditions and range of a ``SearchRequest``.
///
/// Terms, all of which must hold (separated by spaces; a value with spaces goes in double
/// quotes, `\"` for a quote):
///
///     key=AAPL          the key is exactly AAPL        value=TEXT   the value is exactly TEXT
///     key:AA            the key contains AA            value:TEXT   the value contains TEXT
///     key^AA            the key starts with AA         value^TEXT   the value starts with TEXT
///     header:trace      a header `trace` is there      header:trace=abc  a header `trace` contains abc
///     tombstone         the value is null              -i           ignore case (ASCII letters)
///     from:WHEN  to:WHEN   an offset (`from:100`, `to:200`, excluded) or a time (`from:-1h`,
///                          `to:2024-05-01 12:00`, any form of SkiffText's TimeInput, included)
///     anything else     the value contains it (bare words are taken together as one phrase)
public struct SearchQuery: Hashable, Sendable {
    /// The conditions, in the order typed.
    public var conditions: [SearchCondition]
    /// The first offset, if one was given.
    public var fromOffset: Int64?
    /// The offset to stop before, if one was given.
    public var toOffset: Int64?
    /// The earliest timestamp, if one was given.
    public var fromTimestamp: Int64?
    /// The latest timestamp, if one was given.
    public var toTimestamp: Int64?

    /// The hint shown under the search prompt.
    public static let hint =
        "key=K key:part key^prefix value:text header:name[=text] tombstone -i from:100|-1h to:… ; bare words = value contains"

    /// Parses `text`; `nowMs` and `utcOffsetSeconds` resolve times.
    /// - Throws: ``SearchQueryError`` naming the term that does not parse.
    public init(parsing text: String, nowMs: Int64, utcOffsetSeconds: Int) throws(SearchQueryError) {
        conditions = []
        let terms = try Self.split(text)
        guard !terms.isEmpty else { throw SearchQueryError("type what to look for; \(Self.hint)") }
        let ignoreCase = terms.contains("-i")
        var phrase: [String] = []
        func condition(_ field: SearchField, _ match: SearchMatch, _ pattern: String, header: String = "") {
            conditions.append(
                SearchCondition(
                    field: field, match: match, headerKey: header, pattern: Array(pattern.utf8),
                    ignoreCase: ignoreCase))
        }
        for term in terms where term != "-i" {
            if term == "tombstone" || term == "null-value" {
                condition(.value, .isNull, "")
                continue
            }
            if let (name, operation, rest) = Self.fieldTerm(term) {
                switch name {
                case "key", "value":
                    let field: SearchField = name == "key" ? .key : .value
                    guard !rest.isEmpty else { throw SearchQueryError("'\(term)' needs a text after '\(operation)'") }
                    condition(field, operation == "=" ? .equals : operation == "^" ? .prefix : .contains, rest)
                case "header":
                    guard operation == ":" else { throw SearchQueryError("write a header term as header:NAME[=TEXT]") }
                    let parts = rest.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard let headerName = parts.first, !headerName.isEmpty else {
                        throw SearchQueryError("'\(term)' needs a header name: header:NAME or header:NAME=TEXT")
                    }
                    condition(.header, .contains, parts.count > 1 ? String(parts[1]) : "", header: String(headerName))
                case "from", "to":
                    guard operation == ":" else { throw SearchQueryError("write \(name):OFFSET or \(name):TIME") }
                    if let offset = Int64(rest), offset >= 0, !rest.contains("-"), rest.count < 13 {
                        if name == "from" { fromOffset = offset } else { toOffset = offset }
                    } else {
                        let time: Int64
                        do {
                            time = try TimeInput.parse(rest, nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds)
                        } catch {
                            throw SearchQueryError("\(name): \(error.problem); use an offset or \(TimeInput.shortHint)")
                        }
                        if name == "from" { fromTimestamp = time } else { toTimestamp = time }
                    }
                default:
                    phrase.append(term)
                }
                continue
            }
            phrase.append(term)
        }
        if !phrase.isEmpty { condition(.value, .contains, phrase.joined(separator: " ")) }
        if conditions.isEmpty && fromOffset == nil && toOffset == nil && fromTimestamp == nil && toTimestamp == nil {
            throw SearchQueryError("type what to look for; \(Self.hint)")
        }
    }

    /// The request for `topic` (`partitions` empty = every partition).
    public func request(topic: String, partitions: [Int32], maxResults: Int32) -> SearchRequest {
        SearchRequest(
            topic: topic, partitions: partitions, fromOffset: fromOffset ?? -2, toOffset: toOffset ?? -1,
            fromTimestampMs: fromTimestamp ?? -1, toTimestampMs: toTimestamp ?? -1, conditions: conditions,
            maxResults: maxResults, progressIntervalMs: 200)
    }

    /// `key=AAPL` → ("key", "=", "AAPL"), for the field names this syntax knows.
    private static func fieldTerm(_ term: String) -> (String, Character, String)? {
        for name in ["key", "value", "header", "from", "to"] where term.hasPrefix(name) {
            let rest = term.dropFirst(name.count)
            guard let operation = rest.first, "=:^".contains(operation) else { continue }
            return (name, operation, String(rest.dropFirst()))
        }
        return nil
    }

    /// Splits at spaces, keeping double-quoted parts (with `\"` inside) together.
    private static func split(_ text: String) throws(SearchQueryError) -> [String] {
        var terms: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var started = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" && quoted {
                escaped = true
            } else if c == "\"" {
                quoted.toggle()
                started = true
            } else if c == " " && !quoted {
                if started { terms.append(current) }
                current = ""
                started = false
            } else {
                current.append(c)
                started = true
            }
        }
        if quoted { throw SearchQueryError("a double quote is not closed") }
        if started { terms.append(current) }
        return terms
    }
}

/// A search that does not parse: what is wrong, for the prompt.
public struct SearchQueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The sentence shown.
    public var description: String
    init(_ description: String) { self.description = description }
}
