// Search (key 23): `docs/admin-protocol.md`, section 4.24.

import NIOCore

/// Which part of a record a ``SearchCondition`` looks at.
public enum SearchField: UInt8, Hashable, Sendable, CaseIterable {
    /// The key.
    case key = 0
    /// The value.
    case value = 1
    /// The value of a header named ``SearchCondition/headerKey`` (any header of that name).
    case header = 2
}

/// How a ``SearchCondition`` compares.
public enum SearchMatch: UInt8, Hashable, Sendable, CaseIterable {
    /// The bytes contain the pattern (an empty pattern: the field is present, not null).
    case contains = 0
    /// The bytes equal the pattern.
    case equals = 1
    /// The bytes start with the pattern.
    case prefix = 2
    /// The field is null (a null key, a tombstone's value) or, for a header, no header has the name.
    case isNull = 3
}

/// One condition of a search; a record matches when all conditions hold.
public struct SearchCondition: Hashable, Sendable {
    /// What the condition looks at.
    public var field: SearchField
    /// How it compares.
    public var match: SearchMatch
    /// The header name, for ``SearchField/header``; empty otherwise.
    public var headerKey: String
    /// The bytes compared with the field.
    public var pattern: [UInt8]
    /// Compare ASCII letters without regard to case.
    public var ignoreCase: Bool

    /// Creates a condition.
    public init(
        field: SearchField, match: SearchMatch, headerKey: String = "", pattern: [UInt8], ignoreCase: Bool = false
    ) {
        self.field = field
        self.match = match
        self.headerKey = headerKey
        self.pattern = pattern
        self.ignoreCase = ignoreCase
    }
}

extension SearchCondition: WireElement {
    static var minimumWireSize: Int { 1 + 1 + 2 + 4 + 1 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        let field = try buffer.readWireInteger("field", as: UInt8.self)
        guard let f = SearchField(rawValue: field) else {
            throw .malformed(reason: "field: \(field) is not a search field (0 … 2)")
        }
        let match = try buffer.readWireInteger("match", as: UInt8.self)
        guard let m = SearchMatch(rawValue: match) else {
            throw .malformed(reason: "match: \(match) is not a search match (0 … 3)")
        }
        self.field = f
        self.match = m
        headerKey = try buffer.readWireString("headerKey")
        pattern = try buffer.readWireBytes("pattern")
        ignoreCase = try buffer.readWireBool("ignoreCase")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(field.rawValue)
        buffer.writeInteger(match.rawValue)
        buffer.writeWireString(headerKey)
        buffer.writeWireBytes(pattern)
        buffer.writeWireBool(ignoreCase)
    }
}

/// Starts a search of a topic's records on the broker; matches, progress and the end arrive as
/// push frames whose correlation id is the search id (like a subscription). Unsubscribe with the
/// search id cancels it.
public struct SearchRequest: AdminMessage, Hashable, Sendable {
    /// The Search API.
    public static let apiKey = ApiKey.search

    /// The topic.
    public var topic: String
    /// The partitions to search; empty = every partition.
    public var partitions: [Int32]
    /// The first offset of each partition to look at; -2 = the low watermark.
    public var fromOffset: Int64
    /// One past the last offset to look at; -1 = the high watermark when the search starts.
    public var toOffset: Int64
    /// Only records with a timestamp at or after this (ms); -1 = no lower bound. The scan starts
    /// at the first offset with such a timestamp (Kafka's ListOffsets).
    public var fromTimestampMs: Int64
    /// Only records with a timestamp at or before this (ms); -1 = no upper bound. The scan stops
    /// at the first offset with a later timestamp.
    public var toTimestampMs: Int64
    /// All must hold; none = every record of the range matches.
    public var conditions: [SearchCondition]
    /// The search ends after this many matches (1 … 10,000).
    public var maxResults: Int32
    /// How often a progress event is pushed (100 … 10,000 ms).
    public var progressIntervalMs: Int32

    /// Creates the request.
    public init(
        topic: String, partitions: [Int32] = [], fromOffset: Int64 = -2, toOffset: Int64 = -1,
        fromTimestampMs: Int64 = -1, toTimestampMs: Int64 = -1, conditions: [SearchCondition],
        maxResults: Int32 = 1_000, progressIntervalMs: Int32 = 250
    ) {
        self.topic = topic
        self.partitions = partitions
        self.fromOffset = fromOffset
        self.toOffset = toOffset
        self.fromTimestampMs = fromTimestampMs
        self.toTimestampMs = toTimestampMs
        self.conditions = conditions
        self.maxResults = maxResults
        self.progressIntervalMs = progressIntervalMs
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partitions = try buffer.readWireArray("partitions")
        fromOffset = try buffer.readWireInteger("fromOffset")
        toOffset = try buffer.readWireInteger("toOffset")
        fromTimestampMs = try buffer.readWireInteger("fromTimestampMs")
        toTimestampMs = try buffer.readWireInteger("toTimestampMs")
        conditions = try buffer.readWireArray("conditions")
        maxResults = try buffer.readWireInteger("maxResults")
        progressIntervalMs = try buffer.readWireInteger("progressIntervalMs")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeWireArray(partitions)
        buffer.writeInteger(fromOffset)
        buffer.writeInteger(toOffset)
        buffer.writeInteger(fromTimestampMs)
        buffer.writeInteger(toTimestampMs)
        buffer.writeWireArray(conditions)
        buffer.writeInteger(maxResults)
        buffer.writeInteger(progressIntervalMs)
    }
}

/// The search's id, which its push frames carry as their correlation id.
public struct SearchResponse: AdminMessage, Hashable, Sendable {
    /// The Search API.
    public static let apiKey = ApiKey.search

    /// Equal to the request's correlation id.
    public var searchId: UInt32
    /// Offsets the search will look at, over all its partitions.
    public var totalOffsets: Int64

    /// Creates the response.
    public init(searchId: UInt32, totalOffsets: Int64) {
        self.searchId = searchId
        self.totalOffsets = totalOffsets
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        searchId = try buffer.readWireInteger("searchId")
        totalOffsets = try buffer.readWireInteger("totalOffsets")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(searchId)
        buffer.writeInteger(totalOffsets)
    }
}
