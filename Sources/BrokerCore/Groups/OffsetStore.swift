import Synchronization

/// Durable storage for committed offsets, in the manner of Kafka's `__consumer_offsets` topic.
///
/// The coordinator writes ahead: a commit is acknowledged only after ``append(_:)`` returns,
/// and memory is updated only then. At start the coordinator replays ``loadAll()``: the last
/// entry per key wins and a tombstone (an entry without value) removes its key. The broker
/// implements this over the compacted internal topic `__consumer_offsets`, storing each entry as
/// a record whose key and value are ``OffsetCommitEntry/encode()``'s bytes.
///
/// The coordinator calls these methods while it holds its own lock: an implementation must not
/// call back into the ``GroupCoordinator``.
public protocol OffsetStore: Sendable {
    /// Durably appends `entries`, in order. Returns only once they would survive a restart.
    /// - Throws: a storage error; the coordinator then reports the commit as failed.
    func append(_ entries: [OffsetCommitEntry]) throws(BrokerError)

    /// Every entry ever appended and not yet compacted away, in append order.
    func loadAll() throws(BrokerError) -> [OffsetCommitEntry]
}

/// An ``OffsetStore`` in memory, for tests and for a broker without a data directory.
///
/// It keeps each entry as the encoded key/value bytes the broker would write to
/// `__consumer_offsets`, so it exercises the codec the same way the real store does.
public final class InMemoryOffsetStore: OffsetStore {
    private let storage = Mutex<[(key: [UInt8], value: [UInt8]?)]>([])

    /// Creates an empty store.
    public init() {}

    /// Encodes and appends `entries`.
    /// - Throws: ``BrokerError/invalidRequest(_:)`` when an entry cannot be encoded; nothing is
    ///   appended then.
    public func append(_ entries: [OffsetCommitEntry]) throws(BrokerError) {
        var encoded: [(key: [UInt8], value: [UInt8]?)] = []
        encoded.reserveCapacity(entries.count)
        for entry in entries {
            encoded.append(try entry.encode())
        }
        storage.withLock { $0.append(contentsOf: encoded) }
    }

    /// Decodes every stored entry, in append order.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when stored bytes do not decode.
    public func loadAll() throws(BrokerError) -> [OffsetCommitEntry] {
        let records = storage.withLock { $0 }
        var entries: [OffsetCommitEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            entries.append(try OffsetCommitEntry.decode(key: record.key, value: record.value))
        }
        return entries
    }

    /// The stored records (encoded key, encoded value or `nil` for a tombstone), in append order.
    public var records: [(key: [UInt8], value: [UInt8]?)] {
        storage.withLock { $0 }
    }

    /// Appends raw, possibly malformed, record bytes; for tests of replay.
    public func _appendRaw(key: [UInt8], value: [UInt8]?) {
        storage.withLock { $0.append((key, value)) }
    }
}
