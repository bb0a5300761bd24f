import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Space set aside in the data directory (`<data-dir>/.skiff-reserve`, zero bytes) so that the
/// operations that free space — deleting a topic, deleting records — can finish on a full disk:
/// when one of them fails for lack of space, the reserve is removed and the operation tried once
/// more. The reserve is taken again once the disk has room (see ``replenishIfRoom()``).
final class DiskReserve: Sendable {
    static let fileName = ".skiff-reserve"

    let path: String
    let size: Int
    private let dataDirectory: String
    private let io: any StorageIO
    private let notices: StorageNoticeLog
    private let held = Mutex(false)

    init(dataDirectory: String, size: Int, io: any StorageIO, notices: StorageNoticeLog) {
        self.dataDirectory = dataDirectory
        self.path = dataDirectory + "/" + Self.fileName
        self.size = size
        self.io = io
        self.notices = notices
    }

    /// Whether the reserve is in place.
    var isHeld: Bool { held.withLock { $0 } }

    /// Writes the reserve file when it is missing or short and the disk has twice its size free;
    /// failures leave it missing (nothing else depends on it).
    func replenishIfRoom() {
        guard size > 0 else { return }
        held.withLock { held in
            if held { return }
            if let status = try? io.status(ofPath: path), status.size >= Int64(size) {
                held = true
                return
            }
            guard let free = Self.freeBytes(dataDirectory), free >= 2 * Int64(size) else { return }
            do {
                let file = try io.openFile(path, mode: .truncate)
                let zeros = [UInt8](repeating: 0, count: 1 << 16)
                var written = 0
                while written < size {
                    let count = min(zeros.count, size - written)
                    try zeros.withBytes { (raw) throws(BrokerError) in
                        try io.write(file, UnsafeRawBufferPointer(rebasing: raw[0..<count]), at: Int64(written))
                    }
                    written += count
                }
                try io.sync(file)
                held = true
            } catch {
                try? io.removeFile(path)
            }
        }
    }

    /// Runs `body`; when it fails with a storage error and the reserve is held, removes the
    /// reserve (reporting it) and runs `body` once more.
    func relieving<T>(_ what: String, _ body: () throws(BrokerError) -> T) throws(BrokerError) -> T {
        do {
            return try body()
        } catch .storage(let message) {
            let released = held.withLock { held -> Bool in
                guard held else { return false }
                held = false
                return (try? io.removeFile(path)) != nil
            }
            guard released else { throw .storage(message) }
            notices.add(
                .reserveReleased, path: Self.fileName,
                "\(what) failed (\(message)); released the \(Self.describe(size)) reserved for a full disk and tried again. The reserve is taken again once the disk has room."
            )
            return try body()
        }
    }

    /// `size` in MiB, KiB or bytes, whichever it is a whole number of.
    static func describe(_ size: Int) -> String {
        size % (1 << 20) == 0 ? "\(size >> 20) MiB" : size % (1 << 10) == 0 ? "\(size >> 10) KiB" : "\(size) bytes"
    }

    /// Free bytes for unprivileged writers on the file system of `path`, or nil.
    static func freeBytes(_ path: String) -> Int64? { DiskSpace.of(path: path)?.freeBytes }
}
