import Logging
import Synchronization

/// Something the storage found wrong and what it did about it: a directory moved aside, a
/// metadata file rewritten, a checkpoint distrusted, a torn tail cut (and kept), damaged data.
/// The broker screen and `skiff broker` show them; each is also logged at warning level.
public struct StorageNotice: Hashable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A partition directory that could not be explained was moved aside (renamed `…-stray`).
        case strayDirectory = "stray-directory"
        /// A partition directory left by a deleted topic was removed (the metadata log records the delete).
        case leftoverRemoved = "leftover-removed"
        /// A damaged or missing `partition.metadata` was rewritten from the topic metadata.
        case metadataRewritten = "metadata-rewritten"
        /// A checkpoint pointed past the log and was ignored.
        case checkpointIgnored = "checkpoint-ignored"
        /// Recovery cut a torn tail from a log; the bytes were kept beside it.
        case tailCut = "tail-cut"
        /// Stored data failed its checks and cannot be read.
        case damagedData = "damaged-data"
        /// The space reserved for relief on a full disk was used.
        case reserveReleased = "reserve-released"
        /// The topic metadata was rebuilt from the partition directories.
        case metadataRebuilt = "metadata-rebuilt"
    }

    /// What happened.
    public var kind: Kind
    /// The file or directory concerned, relative to the data directory.
    public var path: String
    /// A sentence a person understands: what was found, what was done, what to do.
    public var message: String
    /// When, milliseconds since the epoch.
    public var time: Int64

    /// Creates a notice.
    public init(kind: Kind, path: String, message: String, time: Int64) {
        self.kind = kind
        self.path = path
        self.message = message
        self.time = time
    }
}

/// Collects a broker's storage notices (the most recent 1,000) and logs each at warning level.
public final class StorageNoticeLog: Sendable {
    private let notices = Mutex<[StorageNotice]>([])
    private let logger: Logger
    private let clock: any BrokerClock
    /// How many notices are kept.
    public static let capacity = 1000

    /// A log that writes to `logger` and stamps notices with `clock`.
    public init(logger: Logger, clock: any BrokerClock = SystemClock()) {
        self.logger = logger
        self.clock = clock
    }

    /// Records and logs a notice.
    public func add(_ kind: StorageNotice.Kind, path: String, _ message: String) {
        let notice = StorageNotice(kind: kind, path: path, message: message, time: clock.nowMilliseconds())
        logger.warning("\(message)", metadata: ["storage.notice": "\(kind.rawValue)", "path": "\(path)"])
        notices.withLock {
            $0.append(notice)
            if $0.count > Self.capacity { $0.removeFirst($0.count - Self.capacity) }
        }
    }

    /// Every notice kept, oldest first.
    public var all: [StorageNotice] { notices.withLock { $0 } }
}
