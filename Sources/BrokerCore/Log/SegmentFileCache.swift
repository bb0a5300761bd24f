import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps at most ``capacity`` segment `.log` files open, closing the least recently used one when
/// another must open: a broker with 50,000 partitions does not hold 50,000 descriptors.
///
/// A segment asks for its file with ``file(id:path:io:)`` for each piece of work and holds the
/// returned ``StorageFile`` only while it works; because a ``StorageFile`` closes its descriptor
/// when the last reference goes, evicting one that a reader or an append still holds only drops
/// the cache's reference, and the descriptor closes when that work ends. Reopening a file that was
/// evicted with unsynced writes is safe: `fsync` on any descriptor of a file flushes the file.
public final class SegmentFileCache: Sendable {
    /// The most files kept open.
    public let capacity: Int
    private let state: Mutex<State>
    private static let nextId = Atomic<Int>(0)

    /// An LRU list threaded through arrays: `slots[i]` holds one open file; `previous`/`next` link
    /// slots from the most (head) to the least (tail) recently used.
    private struct State {
        var slotById: [Int: Int] = [:]
        var files: [StorageFile?] = []
        var ids: [Int] = []
        var previous: [Int] = []
        var next: [Int] = []
        var free: [Int] = []
        var head = -1
        var tail = -1
        var opens = 0
        var evictions = 0

        mutating func unlink(_ slot: Int) {
            let p = previous[slot]
            let n = next[slot]
            if p >= 0 { next[p] = n } else { head = n }
            if n >= 0 { previous[n] = p } else { tail = p }
            previous[slot] = -1
            next[slot] = -1
        }

        mutating func pushFront(_ slot: Int) {
            previous[slot] = -1
            next[slot] = head
            if head >= 0 { previous[head] = slot }
            head = slot
            if tail < 0 { tail = slot }
        }

        /// Removes the slot of `id`, returning its file so the caller can release it outside the lock.
        mutating func remove(_ id: Int) -> StorageFile? {
            guard let slot = slotById.removeValue(forKey: id) else { return nil }
            unlink(slot)
            let file = files[slot]
            files[slot] = nil
            free.append(slot)
            return file
        }
    }

    /// A cache that keeps at most `capacity` files open (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.state = Mutex(State())
    }

    /// A fresh id for a segment's file; ids are never reused within a process.
    static func makeId() -> Int { nextId.add(1, ordering: .relaxed).newValue }

    /// The open file `id` (opening `path` for reading and writing if it is not cached), marked as
    /// the most recently used.
    func file(id: Int, path: String, io: any StorageIO) throws(BrokerError) -> StorageFile {
        if let cached = state.withLock({ s -> StorageFile? in
            guard let slot = s.slotById[id], let file = s.files[slot] else { return nil }
            if s.head != slot {
                s.unlink(slot)
                s.pushFront(slot)
            }
            return file
        }) {
            return cached
        }
        let opened = try io.openFile(path, mode: .existing)
        var evicted: StorageFile?
        let file = state.withLock { s -> StorageFile in
            // Another thread may have opened it meanwhile: keep one.
            if let slot = s.slotById[id], let existing = s.files[slot] { return existing }
            if s.slotById.count >= capacity, s.tail >= 0 {
                evicted = s.remove(s.ids[s.tail])
                s.evictions += 1
            }
            let slot: Int
            if let reused = s.free.popLast() {
                slot = reused
                s.files[slot] = opened
                s.ids[slot] = id
            } else {
                slot = s.files.count
                s.files.append(opened)
                s.ids.append(id)
                s.previous.append(-1)
                s.next.append(-1)
            }
            s.slotById[id] = slot
            s.pushFront(slot)
            s.opens += 1
            return opened
        }
        _ = evicted  // released here, outside the lock
        return file
    }

    /// Forgets `id`'s file (the segment was deleted or closed); holders keep it until they let go.
    func remove(id: Int) {
        let file = state.withLock { $0.remove(id) }
        _ = file
    }

    /// Numbers for the broker screen.
    public var statistics: SegmentFileCacheStatistics {
        state.withLock {
            SegmentFileCacheStatistics(
                capacity: capacity, openFiles: $0.slotById.count, opens: $0.opens, evictions: $0.evictions)
        }
    }
}

/// How the segment file cache is doing.
public struct SegmentFileCacheStatistics: Hashable, Sendable {
    /// The most segment files kept open.
    public var capacity: Int
    /// Segment files open now.
    public var openFiles: Int
    /// Files opened since the broker started.
    public var opens: Int
    /// Files closed to make room since the broker started.
    public var evictions: Int
}

/// The process's open-file limit (`RLIMIT_NOFILE`).
public enum OpenFileLimit {
    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    /// Raises the soft limit to the hard limit (as Kafka's documentation advises with `ulimit -n`)
    /// and returns the soft limit in force afterwards, or `nil` when it cannot be read.
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return count(limit.rlim_cur)
    }

    /// The soft limit now, or `nil` when it cannot be read.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return count(limit.rlim_cur)
    }

    private static func count(_ value: rlim_t) -> Int {
        value >= rlim_t(Int32.max) ? Int(Int32.max) : Int(value)
    }

    /// How many segment files a broker keeps open under a soft limit of `limit`: half of it, so
    /// that connections, index files and checkpoints always have descriptors left.
    public static func segmentFileBudget(forLimit limit: Int?) -> Int {
        max(64, (limit ?? 1024) / 2)
    }
}
